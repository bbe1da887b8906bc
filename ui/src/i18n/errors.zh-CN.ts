// 后端错误的简体中文文本，按稳定的错误代码（ErrorCode）组织；键与 errors.en.ts 完全一致。
import type errorsEn from "./errors.en";

const errorsZhCN: typeof errorsEn = {
  details: "详细信息",
  what: {
    template: "模板",
    run: "运行",
    repository: "代码仓库",
    endpoint: "Docker 端点",
    registry: "镜像仓库",
    cluster: "集群",
    secret: "密钥",
    setting: "设置项",
  },
  short: {
    not_found: "不存在",
    invalid: "输入无效",
    conflict: "冲突",
    docker_not_running: "Docker 未运行",
    docker_refused: "连接被拒绝",
    docker_permission: "没有权限",
    docker_unreachable: "无法连接",
    docker_timeout: "无响应",
    docker_tls: "TLS 失败",
    docker_tls_required: "需要 TLS",
    docker_tls_files: "TLS 文件无效",
    docker_ssh_auth: "SSH 登录被拒绝",
    docker_ssh: "SSH 失败",
    docker_daemon: "返回错误",
    registry_unreachable: "无法连接",
    registry_refused: "登录被拒绝",
    registry_login_required: "需要登录",
    registry_not_a_registry: "不是镜像仓库",
    registry: "登录失败",
    kubectl_missing: "缺少 kubectl",
    cluster_context_unknown: "上下文不存在",
    cluster_unreachable: "无法连接",
    cluster_tls: "TLS 失败",
    cluster_unauthorized: "未授权",
    cluster: "失败",
    helm: "Helm 失败",
    unauthenticated: "未登录",
    forbidden: "无权操作",
    not_granted: "未授权",
    locked: "账户已锁定",
  },
  text: {
    not_found: "不存在名为 {name} 的{what}。",
    conflict: "名为 {name} 的{what}已存在或仍在使用中。请换一个名称。",
    already_ended: "运行 {id} 已经结束（{status}），无需取消。",
    data_dir: "无法使用数据目录 {path}：{cause}。",
    secret_missing: "密钥 {name} 未保存。请在“密钥”页面或用 `scicd secret set {name}` 重新保存。",
    docker_not_running: "无法连接 {url} 上的 Docker。守护进程是否在运行？",
    docker_refused:
      "{url} 上没有服务在监听（连接被拒绝）。请检查端口，并确认 Docker 守护进程正在运行且在该端口监听 TCP。",
    docker_permission:
      "当前用户无权打开 Docker 套接字 {url}。请把用户加入 docker 组，然后重新登录。",
    docker_unreachable:
      "无法连接 {url} 上的 Docker（{cause}）。请检查地址、守护进程是否在该地址监听，以及是否有防火墙阻挡。",
    docker_timeout: "{url} 上的 Docker 在 {seconds} 秒内没有响应。请检查地址和网络。",
    docker_tls: "与 {url} 的 TLS 握手失败（{cause}）。请检查端点的 CA 证书、客户端证书和私钥。",
    docker_tls_required: "{url} 上的 Docker 守护进程要求 TLS。请删除该端点，并带上证书重新添加。",
    docker_tls_files: "端点 {endpoint} 的 TLS 文件无法使用：{cause}。",
    docker_ssh_auth:
      "SSH 拒绝登录 {url}（{cause}）。请检查用户名，并确认密钥在主机的 authorized_keys 中。",
    docker_ssh: "无法通过 SSH 连接 {url} 上的 Docker：{cause}。",
    docker_daemon: "{url} 上的服务返回了错误：{cause}。",
    registry_unreachable:
      "无法连接镜像仓库 {registry}（{host}）（{cause}）。请检查地址，并确认它正在运行。",
    registry_refused: "镜像仓库 {registry}（{host}）拒绝登录（{cause}）。请检查用户名和密码。",
    registry_login_required:
      "镜像仓库 {registry}（{host}）需要登录。请删除它，并填写用户名和密码后重新添加。",
    registry_not_a_registry:
      "{host} 的响应是 {cause}。它是 Docker 镜像仓库（API v2）吗？请检查 {registry} 的地址。",
    kubectl_missing:
      "未安装 kubectl（{looked}）。请安装 kubectl，或在 kube.kubectl 设置中填写它的路径。",
    cluster_context_unknown:
      "kubeconfig 上下文 {context} 不在 {kubeconfig} 中。请删除该集群，并用其中一个上下文重新添加。",
    cluster_unreachable:
      "无法连接 Kubernetes API 服务器 {server}（{cause}）。请确认集群正在运行，并检查 kubeconfig 中的地址和端口。",
    cluster_tls:
      "与 Kubernetes API 服务器 {server} 的 TLS 握手失败（{cause}）。kubeconfig 的证书颁发机构与集群不匹配：请获取新的 kubeconfig。",
    cluster_unauthorized:
      "Kubernetes API 服务器 {server} 拒绝了凭据（{cause}）。令牌或客户端证书错误或已过期：请获取新的 kubeconfig。",
    cluster: "无法使用该集群：{cause}。",
    helm: "Helm 未能完成操作：{cause}。",
    unauthenticated: "需要登录或有效的令牌：{reason}",
    forbidden: "{actor} 无权执行此操作：需要 {scope} 权限。请向管理员申请具有该权限的角色或令牌。",
    not_granted: "{actor} 无权运行 {template}：其授权中没有该模板。请向管理员申请授权。",
    locked: "{name} 的密码错误次数过多：账户锁定至 {until}。",
  },
  run: {
    timed_out: "运行 {duration} 后超时",
    timed_outText: "运行时间超过了它的超时限制，已被停止。",
    interrupted: "执行此运行的进程已停止",
    interruptedText: "执行它的 simple-cicd 进程意外停止（被终止、崩溃或机器关机）。",
    failed: "运行未能完成",
    cancelled: "已取消",
  },
};

export default errorsZhCN;
