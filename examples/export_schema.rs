//! Writes the JSON Schemas of the stored envelope (the current version and every older
//! published one), of requests and of commands, to a folder (default `target/schema`, beside the build):
//!
//! ```sh
//! cargo run --example export_schema --features schema -- [DIR]
//! ```
//!
//! Files: `envelope.v<N>.schema.json` for each published version, `envelope.schema.json` (the
//! current version), `request.schema.json`, `command.schema.json`.

use std::path::PathBuf;

use clientele::{SCHEMA_VERSION, schema};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/schema".to_owned()),
    );
    std::fs::create_dir_all(&dir)?;
    let mut files = vec![
        ("envelope.schema.json".to_owned(), schema::envelope()),
        ("request.schema.json".to_owned(), schema::request()),
        ("command.schema.json".to_owned(), schema::command()),
    ];
    for version in 1..=SCHEMA_VERSION {
        if let Some(schema) = schema::envelope_of_version(version) {
            files.push((format!("envelope.v{version}.schema.json"), schema));
        }
    }
    for (name, schema) in files {
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_string_pretty(&schema)? + "\n")?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
