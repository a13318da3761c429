//! HTTP of bulk import and export: a dataset's variables and code lists as XLSX (the register
//! metadata workbook layout) or CSV (its variable sheet) at `/dataset/{id}/variabler.{xlsx,csv}`.
//! The work is `ingest`'s.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::ctx::Ctx;
use super::pages::{error_page, not_found_page, read};
use super::AppState;
use crate::ingest::export;
use crate::model::record::RecordKind;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `/dataset/{id}/variabler.{xlsx,csv}`.
pub async fn export_dataset(req: HttpRequest, state: web::Data<AppState>, path: web::Path<(String, String)>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let (id, ext) = path.into_inner();
    let Ok(iri) = state.catalogue.minter().record(RecordKind::Dataset, &id) else {
        return not_found_page(&ctx, req.path(), Some(RecordKind::Dataset));
    };
    let xlsx = ext == "xlsx";
    let result = read(&state, move |cat| {
        let Some(e) = export::collect(cat, &iri)? else { return Ok(None) };
        let bytes = if xlsx { e.to_xlsx() } else { e.to_csv() };
        Ok(Some((e.stem(), bytes.map_err(|e| e.to_string()))))
    })
    .await;
    match result {
        Ok(Some((stem, Ok(bytes)))) => HttpResponse::Ok()
            .content_type(if xlsx { XLSX } else { "text/csv; charset=utf-8" })
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{stem}-variabler.{ext}\"")))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(bytes),
        Ok(Some((_, Err(e)))) => error_page(&ctx, e),
        Ok(None) => not_found_page(&ctx, req.path(), Some(RecordKind::Dataset)),
        Err(e) => error_page(&ctx, e),
    }
}
