-- simple-cicd schema, version 7: every run is made of steps. A run of a one-step template (shell,
-- docker-build) has one row in run_steps, named after the template; the Docker columns of `runs`
-- move to the steps: the image a build produced is the build step's outputs, and the endpoint a
-- step created containers on (for crash recovery) is the step's.
ALTER TABLE run_steps ADD COLUMN endpoint TEXT;

INSERT INTO run_steps (run_id, idx, name, kind, status, started_at, ended_at, exit_code, outputs, error, endpoint)
SELECT r.id, 0, r.template_name,
       CASE json_extract(r.spec, '$.kind') WHEN 'docker-build' THEN 'docker-build' ELSE 'shell' END,
       r.status, r.started_at, r.finished_at, r.exit_code,
       CASE WHEN r.image_id IS NULL AND r.image_digest IS NULL THEN '{}'
            ELSE json_object(
                'imageId', COALESCE(r.image_id, ''),
                'tags', COALESCE((SELECT group_concat(t.value, ',') FROM json_each(r.image_tags) t), ''),
                'digest', COALESCE(r.image_digest, ''))
       END,
       r.error, r.docker_endpoint
FROM runs r
WHERE COALESCE(json_extract(r.spec, '$.kind'), 'shell') <> 'pipeline'
  AND NOT EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = r.id);

ALTER TABLE runs DROP COLUMN image_id;
ALTER TABLE runs DROP COLUMN image_tags;
ALTER TABLE runs DROP COLUMN image_digest;
ALTER TABLE runs DROP COLUMN docker_endpoint;
