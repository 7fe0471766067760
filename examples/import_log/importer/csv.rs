//! A small CSV reader: quoted fields, doubled quotes, commas and newlines inside quotes.
//! Enough for the three logs; no crate needed for it.

/// The records of `text`, each a list of fields. A record with fewer fields than `width`
/// whose next line completes it is joined with that line (the tweets' export has one text
/// with a bare newline outside quotes).
pub fn records(text: &str, width: usize) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                let record = std::mem::take(&mut record);
                match out.last_mut() {
                    Some(last) if last.len() < width && last.len() + record.len() - 1 <= width => {
                        // A record cut by a bare newline: glue the two halves of the field.
                        let mut rest = record.into_iter();
                        if let (Some(tail), Some(head)) = (last.last_mut(), rest.next()) {
                            tail.push('\n');
                            tail.push_str(&head);
                        }
                        last.extend(rest);
                    }
                    _ => out.push(record),
                }
            }
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        out.push(record);
    }
    out.retain(|r| !(r.len() == 1 && r[0].is_empty()));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_commas_and_cut_records() {
        let text = "a,b,c\n1,\"x, \"\"y\"\"\",3\n2,first\nhalf,4\n";
        let rows = super::records(text, 3);
        assert_eq!(rows[1], ["1", "x, \"y\"", "3"]);
        assert_eq!(rows[2], ["2", "first\nhalf", "4"]);
    }
}
