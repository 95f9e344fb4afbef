//! Column encodings both backends share: lists kept as JSON text.

use crate::{Error, Result};

/// Reads a JSON array of strings stored in a text column.
pub(crate) fn json_list(text: &str) -> Result<Vec<String>> {
    serde_json::from_str(text).map_err(|e| Error::Corrupt {
        what: "JSON list column",
        detail: e.to_string(),
    })
}

pub(crate) fn to_json_list(items: &[String]) -> String {
    // Compact JSON, as `serde_json::Value`'s display writes it, without building a `Value`.
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_string())
}
