// Names of templates known to be pipelines before the templates list has caught up (a pipeline
// just saved under a new name), so the editor switch keeps the pipeline editor open.
const known = new Set<string>();

export function rememberPipeline(name: string): void {
  known.add(name);
}

export function isKnownPipeline(name: string): boolean {
  return known.has(name);
}
