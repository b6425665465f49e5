//! Search over what is published: anyone may search, since only published documents
//! and recommendations are in the index.

use cpr_store::{Page, PageRequest, SearchHit, SearchQuery};

use crate::{Service, ServiceResult};

impl Service {
    /// A page of the published documents and recommendations matching `query`, best
    /// match first, each with its highlighted snippet.
    pub async fn search(
        &self,
        query: &SearchQuery,
        page: &PageRequest,
    ) -> ServiceResult<Page<SearchHit>> {
        Ok(self.store.search(query, page).await?)
    }
}
