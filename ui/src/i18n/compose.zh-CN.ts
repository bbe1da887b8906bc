// Simplified Chinese messages of the compose stack fields of the template editor (keys of
// compose.en.ts).
import type composeEn from "./compose.en";

const composeZhCN: typeof composeEn = {
  newStack: "新建 Compose 编排",
  titleNew: "新建 Compose 编排",
  section: "Compose 编排",
  intro:
    "在 Docker 端点上启动这组服务：先检查文件、拉取镜像，再执行 docker compose up -d --wait。每次启动都会成为“应用”页面上该应用的一个版本。",
  file: "Compose 文件",
  fileInline: "在此编写",
  fileFromSource: "源码中的文件",
  fileAria: "Compose 文件编辑器",
  filePlaceholder: "services:\n  web:\n    image: localhost:5000/web:1\n    ports: ['8080:80']",
  fileHelp: "与 compose.yaml 相同的 YAML。问题会标注在对应的行上。",
  files: "Compose 文件",
  filesPlaceholder: "compose.yaml\ndeploy/compose.prod.yaml",
  filesHelp: "运行源码中的路径，每行一个，按顺序合并（同 docker compose -f）。",
  filesNeedSource: "这些文件从模板的源码中读取：请在“源码”中设置代码仓库。",
  project: "项目名称",
  projectPlaceholder: "默认：模板名称",
  projectHelp: "应用页面上显示的应用名称。小写字母、数字、“-”和“_”。",
  endpoint: "端点",
  endpointDefault: "local（本机）",
  wait: "等待健康",
  waitPlaceholder: "300",
  waitHelp: "up --wait 等待各服务健康检查通过的时长，超时则本次启动失败。",
  seconds: "秒",
  problemAt: "第 {line} 行：{text}",
};

export default composeZhCN;
