//! The number of SQL statements a request issues (the `x-sql-statements` header the test
//! server answers): a deterministic measure of its database work, held constant here in
//! the size of the database.

use crate::support::*;

fn statements(answer: &Answer) -> u32 {
    answer
        .header("x-sql-statements")
        .and_then(|v| v.parse().ok())
        .expect("the test server counts statements")
}

#[tokio::test]
async fn every_answer_carries_its_statement_count() {
    let app = spawn_app().await;
    let cycle = app.open_cycle("2027", "2027-01-01", &POOL).await;
    let review = app.open_review(&cycle, SUR).await;
    let read = app.get(&format!("/api/v1/reviews/{review}"), None).await;
    assert!(statements(&read) > 0, "a review read reads the database");
    let unknown = app
        .get("/api/v1/reviews/00000000-0000-7000-8000-000000000000", None)
        .await;
    assert_eq!(unknown.status.as_u16(), 404);
    assert_eq!(
        statements(&unknown),
        1,
        "an unknown review costs one lookup"
    );
}
