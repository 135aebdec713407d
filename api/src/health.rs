//! Liveness and readiness probes.

use std::time::Duration;

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::app::AppState;

/// `GET /healthz`: the process is alive.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// `GET /readyz`: the database and (when configured) Redis answer; 503 otherwise.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let timeout = Duration::from_secs(2);
    let database = matches!(tokio::time::timeout(timeout, state.db.ping()).await, Ok(Ok(())));
    let redis =
        if state.redis_configured { Some(matches!(tokio::time::timeout(timeout, state.store.ping()).await, Ok(Ok(())))) } else { None };
    let ready = database && redis.unwrap_or(true);
    let word = |ok: bool| if ok { "ok" } else { "unavailable" };
    let body = json!({
        "status": word(ready),
        "checks": {
            "database": word(database),
            "redis": redis.map_or("not configured", word),
        }
    });
    if ready { HttpResponse::Ok().json(body) } else { HttpResponse::ServiceUnavailable().json(body) }
}
