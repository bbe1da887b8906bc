// English messages of the compose stack fields of the template editor. Spread into en.ts as
// `compose`.
const composeEn = {
  newStack: "New compose stack",
  titleNew: "New compose stack",
  section: "Compose stack",
  intro:
    "Launches the stack on a Docker endpoint: checks the file, pulls the images, then docker compose up -d --wait. Each launch becomes a revision of the app on the Apps page.",
  file: "Compose file",
  fileInline: "Written here",
  fileFromSource: "Files of the source",
  fileAria: "Compose file editor",
  filePlaceholder: "services:\n  web:\n    image: localhost:5000/web:1\n    ports: ['8080:80']",
  fileHelp: "YAML as in compose.yaml. Problems are marked at their line.",
  files: "Compose files",
  filesPlaceholder: "compose.yaml\ndeploy/compose.prod.yaml",
  filesHelp: "Paths in the run's source, one per line, merged in order (like docker compose -f).",
  filesNeedSource:
    "These files are read from the template's source: set the repository under Source.",
  project: "Project name",
  projectPlaceholder: "Default: the template's name",
  projectHelp: "The app's name on the Apps page. Lower case letters, digits, '-' and '_'.",
  endpoint: "Endpoint",
  endpointDefault: "local (this machine)",
  wait: "Wait for healthy",
  waitPlaceholder: "300",
  waitHelp: "How long up --wait waits for the services' healthchecks before the launch fails.",
  seconds: "seconds",
  problemAt: "Line {line}: {text}",
};

export default composeEn;
