// Where the label of every enum value the UI shows lives in i18n: `<prefix>.<value>`, with the
// value spelled exactly as the ts-rs binding spells it. A new value (a template kind, a run status)
// is then one line in en.ts and one in zh-CN.ts; lib/enumLabels.spec.ts reads the bindings and
// fails when a value has no label in either language.

/** Binding name (ui/src/bindings/<name>.ts) → the i18n prefixes its values are labelled under. */
export const ENUM_LABELS = {
  TemplateKind: ["templates.kind", "docker.editor.kinds"],
  NeedKind: ["exampleImport.need"],
  RunStatus: ["status", "run.errorTitle"],
  Provider: ["repos.providers"],
  RepoAuth: ["repos.auth"],
  ParamType: ["params.types"],
  EndpointKind: ["docker.endpoints.kind"],
  ClusterSource: ["clusters.source"],
  NotifyWhen: ["notifyRules.whenOptions"],
  ConcurrencyPolicy: ["editor.concurrencyOptions"],
  DeliveryOutcome: ["deliveries.outcomes"],
  LogStream: ["log.stream"],
  StepStatus: ["status"],
  AppAction: ["apps.action.done"],
  Role: ["users.roles"],
  Scope: ["users.scopes"],
} as const;

/** String unions of the bindings that the UI never shows as text (checked by the spec, too). */
// ErrorCode: the UI words the codes it has a sentence for (i18n/errors.*.ts) and shows the
// engine's message for the others. StepWhen: written in pipeline YAML, not shown as a label.
// AppAction: the app page's buttons carry their own words.
export const UNLABELLED_ENUMS = [
  "RefKind",
  "EmailState",
  "ErrorCode",
  "StepWhen",
  "AppAction",
  // routes.ts: the HTTP methods of the API's route table, for the transport, never shown.
  "routes",
] as const;

/**
 * Run.trigger is a free string (a user name from the API is allowed); these are the values the
 * engine and the app write, labelled under `trigger.<value>` (RunTrigger.vue shows others as given).
 */
export const KNOWN_TRIGGERS = ["manual", "cli", "rerun", "webhook", "poll", "cron"] as const;
