// “从示例开始”对话框的中文文案：导入 simple-cicd 自带的 Web 应用示例（模板与流水线）。以 `exampleImport` 并入 zh-CN.ts。
import type exampleEn from "./example.en";

const exampleZh: typeof exampleEn = {
  action: "从示例开始",
  title: "从示例开始：{name}",
  intro:
    "simple-cicd 自带的一个小型 Web 应用：推送到 main 后，先测试，再构建并推送镜像，等待你的审批，然后用 Docker Compose 部署并检查页面。导入会保存以下模板：",
  exists: "已存在",
  pipeline: "流水线 {name}",
  repo: "Web 应用的仓库",
  repoHelp:
    "唯一需要你提供的：包含该 Web 应用的 git 仓库（simple-cicd 的 examples/webapp）。每个模板都会检出它。",
  repoPlaceholder: "选择一个仓库",
  noRepo:
    "还没有仓库。请先在“代码仓库”页面添加包含该 Web 应用的仓库（或运行 scripts/example.sh，它会准备好一切），然后再回来。",
  addRepo: "打开代码仓库页面",
  repoRequired: "请选择示例要检出的仓库",
  needs: "运行时，示例还会用到",
  need: {
    registry: "镜像仓库 {name}",
    secret: "密钥 {name}",
    cluster: "集群 {name}",
  },
  needUsedBy: "由 {names} 使用",
  present: "已保存",
  missing: "尚未保存",
  needsHelp:
    "导入不需要它们；运行前请在“镜像仓库”“密钥”和“集群”页面添加（scripts/example.sh 会替你完成）。",
  taken: "以下模板已存在：{names}。",
  replace: "替换它们（用示例中的模板）",
  replaceFirst: "勾选“替换它们”以覆盖导入，或先将它们重命名或删除。",
  submit: "导入",
  imported: "已导入 {n} 个模板；已打开流水线 {name}",
  loadError: "无法显示示例",
};

export default exampleZh;
