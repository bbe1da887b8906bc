//! The `templates` table.

use sqlx::Row;

use super::Store;
use crate::error::{Error, Result};
use crate::model::{rfc3339, Template, TemplateSpec};

fn decode(row: &sqlx::sqlite::SqliteRow) -> Result<Template> {
    let spec_json: String = row.try_get("spec")?;
    let spec = TemplateSpec::from_stored_json(&spec_json).map_err(|e| Error::Corrupt(format!("template spec: {e}")))?;
    Ok(Template {
        id: row.try_get("id")?,
        created_at: rfc3339(row.try_get("created_at")?),
        updated_at: rfc3339(row.try_get("updated_at")?),
        pinned: row.try_get("pinned")?,
        needs_form: spec.needs_run_form(),
        spec,
    })
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

impl Store {
    /// Every template, by name.
    pub async fn template_all(&self) -> Result<Vec<Template>> {
        let rows = sqlx::query("SELECT * FROM templates ORDER BY name COLLATE NOCASE").fetch_all(self.pool()).await?;
        rows.iter().map(decode).collect()
    }

    /// The template with this name, if any.
    pub async fn template_by_name(&self, name: &str) -> Result<Option<Template>> {
        let row = sqlx::query("SELECT * FROM templates WHERE name = ?").bind(name).fetch_optional(self.pool()).await?;
        row.as_ref().map(decode).transpose()
    }

    /// Inserts a new template. The spec must be valid.
    pub async fn template_insert(&self, spec: &TemplateSpec, now: i64) -> Result<Template> {
        let json = serde_json::to_string(spec).expect("a TemplateSpec always serialises");
        let row = sqlx::query(
            "INSERT INTO templates (name, kind, spec, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING *",
        )
        .bind(&spec.name)
        .bind(spec.kind().as_str())
        .bind(json)
        .bind(now)
        .bind(now)
        .fetch_one(self.pool())
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                Error::NameTaken { what: "template", name: spec.name.clone() }
            } else {
                Error::Database(e)
            }
        })?;
        decode(&row)
    }

    /// Replaces the template `id` with `spec` (which may rename it; the runs follow the new name).
    pub async fn template_update(&self, id: i64, spec: &TemplateSpec, now: i64) -> Result<Template> {
        let json = serde_json::to_string(spec).expect("a TemplateSpec always serialises");
        let mut tx = self.pool().begin().await?;
        let row =
            sqlx::query("UPDATE templates SET name = ?, kind = ?, spec = ?, updated_at = ? WHERE id = ? RETURNING *")
                .bind(&spec.name)
                .bind(spec.kind().as_str())
                .bind(json)
                .bind(now)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        Error::NameTaken { what: "template", name: spec.name.clone() }
                    } else {
                        Error::Database(e)
                    }
                })?
                .ok_or_else(|| Error::NotFound { what: "template", name: id.to_string() })?;
        sqlx::query("UPDATE runs SET template_name = ? WHERE template_id = ?")
            .bind(&spec.name)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        decode(&row)
    }

    /// Saves `specs` in one transaction: all of them or none. A name that exists is replaced when
    /// `replace` is set and refused ([`Error::NameTaken`]) otherwise. Each template comes back with
    /// whether it was created. The specs must be valid.
    pub async fn template_put_all(
        &self,
        specs: &[TemplateSpec],
        replace: bool,
        now: i64,
    ) -> Result<Vec<(Template, bool)>> {
        let mut tx = self.pool().begin().await?;
        let mut saved = Vec::with_capacity(specs.len());
        for spec in specs {
            let json = serde_json::to_string(spec).expect("a TemplateSpec always serialises");
            let existing: Option<(i64,)> = sqlx::query_as("SELECT id FROM templates WHERE name = ?")
                .bind(&spec.name)
                .fetch_optional(&mut *tx)
                .await?;
            let row = match existing {
                Some(_) if !replace => {
                    return Err(Error::NameTaken { what: "template", name: spec.name.clone() });
                }
                Some((id,)) => {
                    sqlx::query("UPDATE templates SET kind = ?, spec = ?, updated_at = ? WHERE id = ? RETURNING *")
                        .bind(spec.kind().as_str())
                        .bind(json)
                        .bind(now)
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?
                }
                None => {
                    sqlx::query(
                        "INSERT INTO templates (name, kind, spec, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING *",
                    )
                    .bind(&spec.name)
                    .bind(spec.kind().as_str())
                    .bind(json)
                    .bind(now)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| {
                        if is_unique_violation(&e) {
                            Error::NameTaken { what: "template", name: spec.name.clone() }
                        } else {
                            Error::Database(e)
                        }
                    })?
                }
            };
            saved.push((decode(&row)?, existing.is_none()));
        }
        tx.commit().await?;
        Ok(saved)
    }

    /// Deletes a template; its runs stay, with `template_id` cleared.
    pub async fn template_delete(&self, name: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM templates WHERE name = ?").bind(name).execute(self.pool()).await?;
        Ok(done.rows_affected() > 0)
    }

    /// How many templates exist.
    pub async fn template_count(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM templates").fetch_one(self.pool()).await?;
        Ok(n)
    }
}
