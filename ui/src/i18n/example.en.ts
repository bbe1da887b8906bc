// English messages of "Start from an example": the dialog that imports the bundled web app
// example (its templates and pipelines). Spread into en.ts as `exampleImport`.
const exampleEn = {
  action: "Start from an example",
  title: "Start from an example: {name}",
  intro:
    "A small web app shipped by simple-cicd: a push to main tests it, builds and pushes its image, waits for your approval, deploys it with Docker Compose and checks the page. Importing saves these templates:",
  exists: "exists",
  pipeline: "The pipeline {name}",
  repo: "The web app's repository",
  repoHelp:
    "The one thing to provide: a git repository with the web app (examples/webapp of simple-cicd). Every template checks it out.",
  repoPlaceholder: "Choose a repository",
  noRepo:
    "No repository yet. Add one with the web app on the Repositories page (or run scripts/example.sh, which sets everything up), then come back.",
  addRepo: "Open the Repositories page",
  repoRequired: "Choose the repository the example checks out",
  needs: "To run it, the example also uses",
  need: {
    registry: "registry {name}",
    secret: "secret {name}",
    cluster: "cluster {name}",
  },
  needUsedBy: "used by {names}",
  present: "stored",
  missing: "not stored yet",
  needsHelp:
    "Importing does not need them; add them on the Registries, Secrets and Clusters pages before a run (scripts/example.sh does it for you).",
  taken: "These templates exist already: {names}.",
  replace: "Replace them (with the example's)",
  replaceFirst: "Tick “Replace them” to import over them, or rename or delete them first.",
  submit: "Import",
  imported: "Imported {n} templates; the pipeline {name} is open",
  loadError: "The example cannot be shown",
};

export default exampleEn;
