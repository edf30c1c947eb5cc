//! The OpenAPI 3.1 document of the API, served at `/api/v1/openapi.json`. A test holds
//! it to the router's route table ([`super::api::routes`]): every route documented,
//! nothing documented that is not routed.

use serde_json::{Value, json};

fn problem_responses(codes: &[&str]) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    for code in codes {
        let description = match *code {
            "400" => "Bad input: a parameter is malformed (named in `detail`)",
            "401" => "No credentials, or unknown ones (`WWW-Authenticate: Bearer`)",
            "403" => "The caller's role may not do this, or a session's CSRF token is missing",
            "404" => "No such resource",
            "413" => "The request body is larger than `--max-upload`",
            "415" => "The body is not multipart/form-data",
            "422" => "The upload is refused (named file and entry in `detail`)",
            _ => "Error",
        };
        m.insert(
            (*code).to_owned(),
            json!({
                "description": description,
                "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
            }),
        );
    }
    m
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn op(summary: &str, params: Value, ok_code: &str, ok_body: Value, errors: &[&str]) -> Value {
    let mut responses = problem_responses(errors);
    responses.insert(ok_code.to_owned(), ok_body);
    json!({
        "summary": summary,
        "parameters": params,
        "responses": responses,
    })
}

fn id_param(what: &str) -> Value {
    json!({"name": "id", "in": "path", "required": true, "description": what,
           "schema": {"type": "integer", "minimum": 1, "format": "int64"}})
}

fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn lang() -> Value {
    query(
        "lang",
        "Language of worded text (default: Accept-Language, else en)",
        json!({"type": "string", "enum": ["de", "en"]}),
    )
}

/// The document.
pub(crate) fn document() -> Value {
    let read_errors: &[&str] = &["400", "401", "404"];
    let search_params = json!([
        query(
            "q",
            "Words in the name, vendor or description",
            json!({"type": "string", "maxLength": 200})
        ),
        query(
            "function",
            "A function the candidate covers (see /api/v1/functions)",
            json!({"type": "string", "maxLength": 200})
        ),
        query(
            "licence_class",
            "A licence class among the latest assessment's runtime packages",
            json!({"type": "string", "enum": super::fetch::LICENCE_CLASSES})
        ),
        query(
            "jurisdiction",
            "Country code of a controlling vendor (e.g. DE, US), or EU for EU/EEA",
            json!({"type": "string", "maxLength": 200})
        ),
        query(
            "verdict",
            "Verdict of the latest assessment",
            json!({"type": "string", "enum": super::fetch::VERDICTS})
        ),
        query(
            "score_min",
            "Lowest sovereignty score",
            json!({"type": "number", "minimum": 0, "maximum": 100})
        ),
        query(
            "score_max",
            "Highest sovereignty score",
            json!({"type": "number", "minimum": 0, "maximum": 100})
        ),
        query(
            "seal_min",
            "Lowest indicative SEAL level",
            json!({"type": "integer", "minimum": 0, "maximum": 4})
        ),
        query(
            "assessed_from",
            "Latest assessment on or after this date",
            json!({"type": "string", "format": "date"})
        ),
        query(
            "assessed_to",
            "Latest assessment on or before this date",
            json!({"type": "string", "format": "date"})
        ),
        query(
            "limit",
            "Results per page (default 100)",
            json!({"type": "integer", "minimum": 1, "maximum": super::fetch::MAX_LIMIT})
        ),
        query(
            "offset",
            "Results to skip",
            json!({"type": "integer", "minimum": 0, "maximum": 1_000_000_000})
        ),
    ]);
    let schema = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
    let mut paths = serde_json::Map::new();
    let mut add = |path: &str, method: &str, operation: Value| {
        let entry = paths.entry(path.to_owned()).or_insert_with(|| json!({}));
        if let Some(obj) = entry.as_object_mut() {
            obj.insert(method.to_owned(), operation);
        }
    };
    add(
        "/api/v1/openapi.json",
        "get",
        op(
            "This document",
            json!([]),
            "200",
            ok("OpenAPI 3.1", json!({"type": "object"})),
            &[],
        ),
    );
    add(
        "/api/v1/candidates",
        "get",
        op(
            "Search the catalogue",
            search_params,
            "200",
            ok(
                "Matching candidates, best score first",
                schema("SearchResult"),
            ),
            &["400", "401"],
        ),
    );
    add(
        "/api/v1/candidates/{id}",
        "get",
        op(
            "A candidate: its latest assessment and history",
            json!([id_param("Candidate id"), lang()]),
            "200",
            ok("The candidate", schema("CandidateDetail")),
            read_errors,
        ),
    );
    add("/api/v1/candidates/{id}", "delete", {
        let mut o = op(
            "Withdraw a candidate from search and the functions list (admin); its \
             assessments stay stored, and a new assessment takes it back in",
            json!([
                id_param("Candidate id"),
                {"name": "reason", "in": "query", "required": true,
                 "description": "Why, for the audit log and the candidate's page",
                 "schema": {"type": "string", "minLength": 1, "maxLength": 500}},
                {"name": "X-CSRF-Token", "in": "header", "required": false,
                 "description": "The session's CSRF token, when signed in with a session cookie",
                 "schema": {"type": "string"}}
            ]),
            "200",
            ok(
                "Withdrawn, or withdrawn already (the first withdrawal)",
                schema("Withdrawal"),
            ),
            &["400", "401", "403", "404"],
        );
        o["security"] = json!([{"bearer": []}, {"session": []}]);
        o
    });
    add("/api/v1/assessments", "post", {
        let mut o = op(
            "Upload an offer for assessment (assessor or admin)",
            json!([{"name": "X-CSRF-Token", "in": "header", "required": false,
                        "description": "The session's CSRF token, when signed in with a session cookie",
                        "schema": {"type": "string"}}]),
            "202",
            {
                let mut r = ok("Queued; the job and its files are stored", schema("Job"));
                r["headers"] =
                    json!({"Location": {"description": "The job", "schema": {"type": "string"}}});
                r
            },
            &["400", "401", "403", "413", "422"],
        );
        o["security"] = json!([{"bearer": []}, {"session": []}]);
        o["requestBody"] = json!({
            "required": true,
            "content": {"multipart/form-data": {"schema": {
                "type": "object",
                "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"},
                    "description": "A candidate directory as .tar or .tar.gz, or SBOMs and lockfiles"}},
                "required": ["files"]
            }}}
        });
        o
    });
    add(
        "/api/v1/assessments/{id}",
        "get",
        op(
            "One stored assessment",
            json!([id_param("Assessment id"), lang()]),
            "200",
            ok("The assessment", schema("Assessment")),
            read_errors,
        ),
    );
    add(
        "/api/v1/assessments/{id}/report",
        "get",
        op(
            "The assessment's report as a document",
            json!([
                id_param("Assessment id"),
                query(
                    "format",
                    "html, fodt (ODF text), md or json (default html)",
                    json!({"type": "string", "enum": ["html", "fodt", "md", "json"]})
                ),
                lang()
            ]),
            "200",
            json!({"description": "The report, as an attachment",
                  "content": {"text/html": {"schema": {"type": "string"}},
                              "application/vnd.oasis.opendocument.text-flat-xml": {"schema": {"type": "string"}},
                              "text/markdown": {"schema": {"type": "string"}},
                              "application/json": {"schema": {"type": "object"}}}}),
            read_errors,
        ),
    );
    add(
        "/api/v1/jobs/{id}",
        "get",
        op(
            "Progress of an upload's assessment",
            json!([{"name": "id", "in": "path", "required": true, "description": "Job id",
                   "schema": {"type": "string"}}]),
            "200",
            ok("The job", schema("Job")),
            read_errors,
        ),
    );
    add(
        "/api/v1/compare",
        "get",
        op(
            "Compare two or more candidates' latest assessments side by side",
            json!([{"name": "ids", "in": "query", "required": true, "description": "Candidate ids, comma-separated (2 to 10)",
                   "schema": {"type": "string"}}, lang()]),
            "200",
            ok("The comparison", schema("Comparison")),
            read_errors,
        ),
    );
    add(
        "/api/v1/functions",
        "get",
        op(
            "Functions named by the catalogue's candidates",
            json!([]),
            "200",
            ok(
                "Functions",
                json!({"type": "array", "items": schema("FunctionSummary")}),
            ),
            &["401"],
        ),
    );
    add(
        "/api/v1/functions/{name}",
        "get",
        op(
            "The assessed alternatives for one function",
            json!([{"name": "name", "in": "path", "required": true, "description": "Function",
                   "schema": {"type": "string"}}]),
            "200",
            ok("The function and its candidates", schema("FunctionDetail")),
            read_errors,
        ),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "sovra catalogue API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Assessed software offers: search, history, reports, comparison, uploads.",
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"}
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "A token from `sovra serve token add`"},
                "session": {"type": "apiKey", "in": "cookie", "name": "sovra_session"}
            },
            "schemas": schemas(),
        }
    })
}

fn schemas() -> Value {
    let nullable = |t: &str| json!({"type": [t, "null"]});
    json!({
        "Problem": {
            "type": "object",
            "required": ["type", "title", "status", "detail"],
            "properties": {
                "type": {"type": "string"}, "title": {"type": "string"},
                "status": {"type": "integer"}, "detail": {"type": "string"}
            }
        },
        "AssessmentSummary": {
            "type": "object",
            "required": ["id", "version", "assessed_at", "verdict", "score", "findings"],
            "properties": {
                "id": {"type": "integer"}, "version": {"type": "integer"},
                "assessed_at": {"type": "string"},
                "verdict": {"type": "string", "enum": super::fetch::VERDICTS},
                "score": nullable("number"), "band": nullable("string"), "seal": nullable("integer"),
                "findings": {"type": "integer"},
                "licence_classes": {"type": "array", "items": {"type": "string"}},
                "jurisdictions": {"type": "array", "items": {"type": "string"}},
                "sovra_version": {"type": "string"}
            }
        },
        "CandidateSummary": {
            "type": "object",
            "required": ["id", "name", "functions", "latest"],
            "properties": {
                "id": {"type": "integer"}, "name": {"type": "string"}, "vendor": nullable("string"),
                "functions": {"type": "array", "items": {"type": "string"}},
                "latest": {"oneOf": [{"$ref": "#/components/schemas/AssessmentSummary"}, {"type": "null"}]}
            }
        },
        "SearchResult": {
            "type": "object",
            "required": ["total", "limit", "offset", "candidates"],
            "properties": {
                "total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"},
                "candidates": {"type": "array", "items": {"$ref": "#/components/schemas/CandidateSummary"}}
            }
        },
        "CandidateDetail": {
            "type": "object",
            "required": ["id", "name", "functions", "history", "latest"],
            "properties": {
                "id": {"type": "integer"}, "name": {"type": "string"}, "vendor": nullable("string"),
                "functions": {"type": "array", "items": {"type": "string"}},
                "history": {"type": "array", "items": {"$ref": "#/components/schemas/AssessmentSummary"},
                            "description": "Every stored version, newest first, with the change from the one before"},
                "latest": {"oneOf": [{"$ref": "#/components/schemas/Assessment"}, {"type": "null"}]},
                "withdrawn": {"oneOf": [{"$ref": "#/components/schemas/Withdrawal"}, {"type": "null"}],
                              "description": "Set when the candidate was withdrawn from the catalogue"}
            }
        },
        "Withdrawal": {
            "type": "object",
            "required": ["at", "by", "reason"],
            "properties": {
                "at": {"type": "string", "description": "When (UTC)"},
                "by": {"type": "string", "description": "Who, as the audit log names them"},
                "reason": {"type": "string"}
            }
        },
        "Assessment": {
            "type": "object",
            "required": ["id", "candidate_id", "version", "assessed_at", "verdict", "report"],
            "properties": {
                "id": {"type": "integer"}, "candidate_id": {"type": "integer"}, "version": {"type": "integer"},
                "assessed_at": {"type": "string"},
                "verdict": {"type": "string", "enum": super::fetch::VERDICTS},
                "score": nullable("number"), "seal": nullable("integer"),
                "report": {"type": "object", "description": "The candidate of the report view model (sovra.report/2, docs/report-json.md)"}
            }
        },
        "Job": {
            "type": "object",
            "required": ["id", "state", "step", "percent", "created", "updated", "attempts"],
            "properties": {
                "id": {"type": "string"},
                "state": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
                "step": {"type": "string", "enum": ["queued", "unpacking", "assessing", "storing", "done", "failed"]},
                "percent": {"type": "integer", "minimum": 0, "maximum": 100},
                "created": {"type": "string"}, "updated": {"type": "string"},
                "attempts": {"type": "integer"},
                "assessment_id": nullable("integer"), "candidate_id": nullable("integer"),
                "error": nullable("string")
            }
        },
        "Comparison": {
            "type": "object",
            "required": ["candidates", "comparison"],
            "properties": {
                "candidates": {"type": "array", "items": {"$ref": "#/components/schemas/CandidateSummary"}},
                "comparison": {"type": "object", "description": "The report's comparison: rows, deciding rows, leader (docs/report-json.md)"}
            }
        },
        "FunctionSummary": {
            "type": "object",
            "required": ["name", "candidates", "compliant"],
            "properties": {
                "name": {"type": "string"}, "candidates": {"type": "integer"},
                "compliant": {"type": "integer", "description": "Candidates whose latest verdict is compliant"}
            }
        },
        "FunctionDetail": {
            "type": "object",
            "required": ["name", "alternatives", "compliant", "substitutable"],
            "properties": {
                "name": {"type": "string"},
                "alternatives": {"type": "array", "items": {"$ref": "#/components/schemas/CandidateSummary"}},
                "compliant": {"type": "integer"}, "substitutable": {"type": "boolean"}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    #[test]
    fn the_document_lists_exactly_the_routed_api() {
        let routed: BTreeSet<(String, String)> = super::super::api::routes()
            .iter()
            .map(|r| (r.method.to_owned(), r.path.to_owned()))
            .collect();
        let doc = super::document();
        let mut documented = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                documented.insert((method.clone(), path.clone()));
            }
        }
        assert_eq!(routed, documented);
        assert!(routed.len() >= 10);
    }

    #[test]
    fn every_reference_resolves() {
        let doc = super::document();
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for part in text.split("#/components/schemas/").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            assert!(schemas.contains_key(&name), "`{name}` is not defined");
        }
    }
}
