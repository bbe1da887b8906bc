//! The Docker columns of the `runs` table: the endpoint a run created containers on (for crash
//! recovery) and the image a docker-build run produced.

use super::Store;
use crate::error::Result;

impl Store {
    /// Records the endpoint on which the run creates containers, before it creates any.
    pub async fn run_set_docker_endpoint(&self, id: i64, endpoint: &str) -> Result<()> {
        sqlx::query("UPDATE runs SET docker_endpoint = ? WHERE id = ?")
            .bind(endpoint)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The endpoint recorded by [`Store::run_set_docker_endpoint`].
    pub async fn run_docker_endpoint(&self, id: i64) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> = sqlx::query_as("SELECT docker_endpoint FROM runs WHERE id = ?")
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.and_then(|(e,)| e))
    }

    /// Records the image a build produced and its tags.
    pub async fn run_set_image(&self, id: i64, image_id: &str, tags: &[String]) -> Result<()> {
        let tags = serde_json::to_string(tags).expect("a list of strings always serialises");
        sqlx::query("UPDATE runs SET image_id = ?, image_tags = ? WHERE id = ?")
            .bind(image_id)
            .bind(tags)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Records the digest of the pushed image.
    pub async fn run_set_image_digest(&self, id: i64, digest: &str) -> Result<()> {
        sqlx::query("UPDATE runs SET image_digest = ? WHERE id = ?").bind(digest).bind(id).execute(self.pool()).await?;
        Ok(())
    }
}
