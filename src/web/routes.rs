//! The one table of routes: every path the server answers, with its handler. Paths come from
//! `kernel::paths`; handlers live one file per area.

use actix_web::{guard, web};

use super::kernel::paths as p;
use super::{
    api, auth, collections, compare, curation, dcat, deliveries, ehds, feed, forms, harvest, ingest, label, lists, ops, pages, quality,
    search, sparql, validator, varlist, versions,
};

/// GET and HEAD.
fn get_or_head() -> actix_web::Route {
    web::route().guard(guard::Any(guard::Get()).or(guard::Head()))
}

/// An API path whose other methods are answered 405 with `Allow: {allow}`.
fn api_resource(path: &str, allow: &'static str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(move |req: actix_web::HttpRequest| api::method_not_allowed(req, allow)))
}

/// Registers every route. Order matters only where patterns overlap: the more specific first.
pub fn configure(cfg: &mut web::ServiceConfig) {
    // machines: the harvest document, record IRIs by HEAD, SPARQL, the validator's API
    cfg.route(p::CATALOG, get_or_head().to(dcat::catalog))
        .route(p::CATALOG_SUFFIX, get_or_head().to(dcat::catalog_with_suffix))
        // HEAD only: the guard sits on the resource, so GET falls through to the pages
        .service(web::resource(p::CONCEPT).guard(guard::Head()).route(web::head().to(dcat::concept_head)))
        .service(web::resource(p::RECORD).guard(guard::Head()).route(web::head().to(dcat::record_head)))
        .service(web::resource(p::SPARQL).route(get_or_head().to(sparql::get)).route(web::post().to(sparql::post)))
        .service(
            web::resource(p::VALIDATOR)
                .app_data(web::PayloadConfig::new(validator::MAX_UPLOAD + 64 * 1024))
                .route(web::get().to(validator::form_page))
                .route(web::post().to(validator::check)),
        )
        .route(p::VALIDATOR_RULES, web::get().to(validator::rules_page))
        .service(
            web::resource(p::VALIDATE_API)
                .app_data(web::PayloadConfig::new(validator::MAX_UPLOAD))
                .route(web::get().to(validator::api_get))
                .route(web::post().to(validator::api_post)),
        );
    // the JSON API: the fixed paths before the patterns `{collection}` would also match; any
    // other method on an API path is 405 with `Allow`
    cfg.route(p::API_PAGE, web::get().to(api::doc::page))
        .service(api_resource(p::API_DOCUMENT, "GET").route(web::get().to(api::doc::openapi_json)))
        .service(api_resource(p::API_BATCH, "POST").route(web::post().to(api::batch)))
        .service(api_resource(p::SEARCH_API, "GET").route(web::get().to(search::search_api)))
        .service(api_resource(p::SUGGEST_API, "GET").route(web::get().to(api::suggest)))
        .service(api_resource(p::QUALITY_API, "GET").route(web::get().to(quality::catalogue_api)))
        .service(api_resource(p::QUALITY_DATASET_API, "GET").route(web::get().to(quality::dataset_api)))
        .service(api_resource(p::EHDS_API, "GET").route(web::get().to(ehds::api)))
        .service(api_resource(p::LABEL_API, "GET").route(web::get().to(label::label_api)))
        .service(
            api_resource(p::DELIVERIES_API, "GET, POST")
                .route(web::get().to(deliveries::api_get))
                .route(web::post().to(deliveries::api_post)),
        )
        .service(api_resource(p::API_COLLECTION, "GET, POST").route(web::get().to(api::list)).route(web::post().to(api::create)))
        .service(api_resource(p::API_RECORD, "GET, PUT").route(web::get().to(api::get)).route(web::put().to(api::update)))
        .service(api_resource(p::API_STEP, "POST").route(web::post().to(api::step)));
    // accounts
    cfg.route(p::LOGIN, web::get().to(auth::login_form))
        .route(p::LOGIN, web::post().to(auth::login))
        .route(p::LOGOUT, web::post().to(auth::logout))
        .route(p::USERS, web::get().to(auth::users_page))
        .route(p::USERS, web::post().to(auth::add_user))
        .route(p::USER, web::post().to(auth::change_user));
    // curation
    cfg.route(p::WORK, web::get().to(curation::work_list))
        .route(p::WORK_BULK, web::post().to(curation::bulk))
        .route(p::AUDIT_LOG, web::get().to(curation::audit_log))
        .route(p::NEW_FORM, web::get().to(forms::form_page))
        .route(p::NEW_FORM, web::post().to(forms::save))
        .route(p::EDIT_FORM, web::get().to(forms::form_page))
        .route(p::EDIT_FORM, web::post().to(forms::save))
        .route(&p::curation_route("utkast"), web::get().to(curation::draft_page))
        .route(&p::curation_route("historik"), web::get().to(curation::history_page))
        .route(&p::curation_route("skicka"), web::post().to(curation::submit))
        .route(&p::curation_route("publicera"), web::post().to(curation::publish))
        .route(&p::curation_route("aterforvisa"), web::post().to(curation::send_back))
        .route(&p::curation_route("utfasa"), web::post().to(curation::retire))
        .route(&p::curation_route("aterstall"), web::post().to(curation::restore))
        .route(&p::curation_route("kommentar"), web::post().to(curation::comment))
        .route(p::HARVEST, web::get().to(harvest::page))
        .route(p::HARVEST_SOURCES, web::post().to(harvest::save_source))
        .route(p::HARVEST_START, web::post().to(harvest::start_run))
        .route(p::HARVEST_RUN, web::get().to(harvest::run_page))
        // the body is read (at most `ingest::MAX_UPLOAD`) only after the role check
        .service(web::resource(p::IMPORT).route(web::get().to(ingest::import_form)).route(web::post().to(ingest::import_preview)))
        .route(p::IMPORT_CONFIRM, web::post().to(ingest::import_confirm))
        .route(p::IMPORT_GUIDE, web::get().to(ingest::import_guide))
        .route(p::IMPORT_TEMPLATE, web::get().to(ingest::import_template));
    // people: pages
    cfg.route(p::HOME, web::get().to(pages::home))
        .route(p::HEALTH, get_or_head().to(ops::healthz))
        .route(p::READY, get_or_head().to(ops::readyz))
        .route(p::METRICS, web::get().to(ops::metrics))
        .route(p::ABOUT, web::get().to(pages::about))
        .route(p::ABOUT_DATA, web::get().to(pages::about_data))
        .route(p::STYLESHEET, web::get().to(pages::stylesheet))
        .route(p::SEARCH_SCRIPT, web::get().to(pages::search_script))
        .route(p::LIST_SCRIPT, web::get().to(pages::list_script))
        .route(p::SUGGEST_SCRIPT, web::get().to(pages::suggest_script))
        .route(p::FORMS_SCRIPT, web::get().to(pages::forms_script))
        .route(p::FOREIGN_RECORD, web::get().to(pages::foreign_record))
        .route(p::SEARCH, web::get().to(search::search_page))
        .route(p::COMPARE, web::get().to(compare::compare_page))
        .route(p::AVAILABILITY, web::get().to(compare::availability_page))
        .route(p::AVAILABILITY_CSV, web::get().to(compare::availability_csv))
        .route(p::VARIABLE_LIST, web::get().to(varlist::list_page))
        .route(p::VARIABLE_LIST_EXPORT, web::get().to(varlist::export_list))
        .route(p::VARIABLE_LIST_ADD, web::post().to(varlist::add))
        .route(p::VARIABLE_LIST_REMOVE, web::post().to(varlist::remove))
        .route(p::VARIABLE_LIST_CLEAR, web::post().to(varlist::clear))
        .route(p::VARIABLE_LIST_ADD_ALL, web::post().to(varlist::add_all))
        .route(p::VARIABLE_LIST_SAVE, web::post().to(lists::save))
        .route(p::VARIABLE_LIST_REQUEST, web::get().to(lists::request))
        .route(p::VARIABLE_LIST_REQUEST_PART, web::get().to(lists::request_part))
        .route(p::SAVED_LIST_EXPORT, web::get().to(lists::export))
        .route(p::SAVED_LIST, web::get().to(lists::page))
        .route(p::SAVED_LIST, web::post().to(lists::edit))
        .route(p::SAVED_LIST_DELETE, web::post().to(lists::delete))
        .route(p::SAVED_LIST_REQUEST, web::get().to(lists::saved_request))
        .route(p::SAVED_LIST_REQUEST_PART, web::get().to(lists::saved_request_part))
        .route(p::VARIABLE_EXPORT, web::get().to(varlist::export_variable))
        .route(p::LABEL_SPEC, web::get().to(label::spec_page))
        .route(p::LABEL, web::get().to(label::label_page))
        .route(p::LABEL, web::post().to(label::declare))
        .route(p::ATTEST, web::post().to(label::attest))
        .route(p::OVERDUE_FEED, web::get().to(label::overdue_feed))
        .route(p::MATURITY, web::get().to(label::maturity_form))
        .route(p::MATURITY, web::post().to(label::save_maturity))
        .route(p::DELIVERIES_CSV, web::get().to(deliveries::csv))
        .route(p::DELIVERIES, web::get().to(deliveries::page))
        .route(p::COLLECTIONS, web::get().to(collections::list))
        .route(p::COLLECTION, web::get().to(collections::page))
        .route(p::COLLECTION_FILE, web::get().to(collections::schema))
        .route(p::DELIVERY_CHECK, web::get().to(collections::delivery_form))
        .route(p::DELIVERY_CHECK, web::post().to(collections::delivery_check))
        .route(p::QUALITY, web::get().to(quality::dashboard_page))
        .route(p::QUALITY_DATASET, web::get().to(quality::dataset_page))
        .route(p::EHDS, web::get().to(ehds::page))
        .route(p::EHDS_CSV, web::get().to(ehds::csv))
        .route(p::FEED, web::get().to(feed::catalogue_feed))
        .route(p::DATASET_FEED, web::get().to(feed::dataset_feed))
        .route(p::DATASET_EXPORT, web::get().to(ingest::export_dataset))
        .route(p::CHANGES, web::get().to(versions::changes_page))
        .route(p::CHANGES_FEED, web::get().to(versions::changes_feed))
        .route(p::CITE, web::get().to(versions::cite))
        .route(p::VERSION, get_or_head().to(versions::version_page))
        .route(p::CONCEPT, web::get().to(pages::concept_page))
        .route(p::LIST, web::get().to(pages::list_page))
        .route(p::RECORD, web::get().to(pages::record_page));
}
