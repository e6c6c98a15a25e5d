//! Structural checks run before `pdf-extract` sees a page.
//!
//! `pdf-extract` recurses without a bound in two places: looking up inherited page
//! attributes through `/Parent`, and drawing form XObjects (`Do`), where a form without
//! `/Resources` uses its caller's. A cycle in either overflows the stack, which aborts
//! the process (`catch_unwind` cannot help). These checks walk the same graphs the same
//! way, iteratively, and report cycles, excessive depth and exponential form expansion
//! instead.

use std::collections::HashMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// Longest `/Parent` chain followed (lopdf itself stops page trees at 256 levels).
const MAX_PARENT_DEPTH: usize = 256;
/// Deepest nesting of form XObjects.
const MAX_FORM_DEPTH: usize = 32;
/// Most form XObject invocations on one page, counting nested ones as expanded.
const MAX_FORM_INVOCATIONS: usize = 100_000;

/// Checks a page before extraction; the error says what is wrong.
pub(crate) fn check_page(doc: &Document, page: ObjectId) -> Result<(), String> {
    let dict = doc
        .get_dictionary(page)
        .map_err(|_| format!("page object {} {} is not a dictionary", page.0, page.1))?;

    // The `/Parent` chain, and the inherited `/Resources` found on the way.
    let mut chain = vec![page];
    let mut current = dict;
    let mut resources = None;
    loop {
        if resources.is_none() {
            resources = dictionary(doc, current.get(b"Resources").ok());
        }
        let Some(parent) = current
            .get(b"Parent")
            .ok()
            .and_then(|p| p.as_reference().ok())
        else {
            break;
        };
        if chain.contains(&parent) {
            return Err(format!(
                "cyclic /Parent chain at object {} {}",
                parent.0, parent.1
            ));
        }
        if chain.len() > MAX_PARENT_DEPTH {
            return Err("page tree deeper than 256 levels".into());
        }
        chain.push(parent);
        match doc.get_dictionary(parent) {
            Ok(parent) => current = parent,
            Err(_) => break,
        }
    }

    // Forms can only be reached through the page's own XObject resources.
    let Some(resources) = resources else {
        return Ok(());
    };
    if dictionary(doc, resources.get(b"XObject").ok()).is_none() {
        return Ok(());
    }
    let content = doc.get_page_content(page).unwrap_or_default();
    FormWalk {
        doc,
        decoded: HashMap::new(),
        invocations: 0,
    }
    .check(&content, resources, &mut Vec::new())
}

struct FormWalk<'a> {
    doc: &'a Document,
    /// The names drawn with `Do` by each form stream seen, decoded once.
    decoded: HashMap<ObjectId, Vec<Vec<u8>>>,
    invocations: usize,
}

impl<'a> FormWalk<'a> {
    fn check(
        &mut self,
        content: &[u8],
        resources: &'a Dictionary,
        stack: &mut Vec<Option<ObjectId>>,
    ) -> Result<(), String> {
        let names = drawn_names(content);
        self.check_names(&names, resources, stack)
    }

    fn check_names(
        &mut self,
        names: &[Vec<u8>],
        resources: &'a Dictionary,
        stack: &mut Vec<Option<ObjectId>>,
    ) -> Result<(), String> {
        let Some(xobjects) = dictionary(self.doc, resources.get(b"XObject").ok()) else {
            return Ok(());
        };
        for name in names {
            let (id, stream) = match xobjects.get(name) {
                Ok(Object::Reference(id)) => match self.doc.get_object(*id) {
                    Ok(Object::Stream(stream)) => (Some(*id), stream),
                    _ => continue,
                },
                Ok(Object::Stream(stream)) => (None, stream),
                _ => continue,
            };
            if let Some(id) = id
                && stack.contains(&Some(id))
            {
                return Err(format!("form XObject {} {} draws itself", id.0, id.1));
            }
            if stack.len() >= MAX_FORM_DEPTH {
                return Err(format!("form XObjects nested deeper than {MAX_FORM_DEPTH}"));
            }
            self.invocations += 1;
            if self.invocations > MAX_FORM_INVOCATIONS {
                return Err(format!(
                    "more than {MAX_FORM_INVOCATIONS} form XObject invocations on one page"
                ));
            }
            // As pdf-extract does: the form's own resources, else the caller's.
            let inner_resources =
                dictionary(self.doc, stream.dict.get(b"Resources").ok()).unwrap_or(resources);
            let inner_names = match id {
                Some(id) => self
                    .decoded
                    .entry(id)
                    .or_insert_with(|| drawn_names(&stream_content(stream)))
                    .clone(),
                None => drawn_names(&stream_content(stream)),
            };
            stack.push(id);
            let result = self.check_names(&inner_names, inner_resources, stack);
            stack.pop();
            result?;
        }
        Ok(())
    }
}

/// The operands of the `Do` operators of a content stream (none when it does not parse:
/// pdf-extract then fails on it by itself).
fn drawn_names(content: &[u8]) -> Vec<Vec<u8>> {
    let Ok(content) = Content::decode(content) else {
        return Vec::new();
    };
    content
        .operations
        .into_iter()
        .filter(|op| op.operator == "Do")
        .filter_map(|op| match op.operands.into_iter().next() {
            Some(Object::Name(name)) => Some(name),
            _ => None,
        })
        .collect()
}

/// A stream's content as pdf-extract reads it.
fn stream_content(stream: &Stream) -> Vec<u8> {
    if stream.filters().is_ok() {
        stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone())
    } else {
        stream.content.clone()
    }
}

fn dictionary<'a>(doc: &'a Document, object: Option<&'a Object>) -> Option<&'a Dictionary> {
    match object? {
        Object::Reference(id) => doc.get_dictionary(*id).ok(),
        Object::Dictionary(dict) => Some(dict),
        _ => None,
    }
}
