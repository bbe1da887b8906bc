// The YAML a new pipeline starts from: a small chain that shows needs, outputs and an approval.

export function starterPipeline(name: string): string {
  return `kind: pipeline
name: ${name}
description: Test, build and deploy
steps:
  - name: test
    kind: shell
    script: echo "testing"
  - name: build
    needs: [test]
    kind: shell
    script: echo "version=1.0.$SIMPLE_CICD_RUN_NUMBER" >> "$SIMPLE_CICD_OUTPUT"
  - name: approve
    needs: [build]
    kind: approval
    message: Deploy \${steps.build.outputs.version}?
  - name: deploy
    needs: [approve]
    kind: shell
    env:
      APPROVER: \${steps.approve.outputs.approver}
    script: echo "deploying, approved by $APPROVER"
`;
}

/** The YAML with its top-level `name:` replaced (a duplicate gets a new name). */
export function renamePipeline(yaml: string, name: string): string {
  return /^name:.*$/m.test(yaml)
    ? yaml.replace(/^name:.*$/m, `name: ${name}`)
    : `name: ${name}\n${yaml}`;
}
