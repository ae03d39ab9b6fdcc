//! html5ever driven through a sink that stops at a depth cap, so a page of endlessly
//! nested elements parses in linear time (see [`parse_document`]).

use std::borrow::Cow;
use std::cell::Cell;
use std::rc::Rc;

use ego_tree::NodeId;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{Html, HtmlTreeSink};

use super::html::MAX_DEPTH;

/// Input is fed to the parser in pieces of this size, the depth checked in between.
const PARSE_CHUNK: usize = 8 * 1024;

/// A page parsed by html5ever (as `Html::parse_document`) until an element would sit
/// deeper than [`MAX_DEPTH`]; the rest of the input is dropped. html5ever scans its stack
/// of open elements for many start tags (`<p>`, `<div>`: "a p element in button scope"),
/// so a deeply nested page costs depth x tags: 20,000 nested `<div><p>` took 45 s to parse.
/// Below the cap every tag costs a bounded amount, so parsing is linear.
pub(super) fn parse_document(source: &str) -> Html {
    let (sink, too_deep) = CappedSink::new(Html::new_document());
    let parser = html5ever::driver::parse_document(sink, Default::default());
    feed_capped(parser, source, &too_deep)
}

/// Like [`parse_document`], for a fragment in a `<body>` (feed content).
pub(super) fn parse_fragment(fragment: &str) -> Html {
    let (sink, too_deep) = CappedSink::new(Html::new_fragment());
    let body = QualName::new(None, html5ever::ns!(html), html5ever::local_name!("body"));
    let parser =
        html5ever::driver::parse_fragment(sink, Default::default(), body, Vec::new(), false);
    feed_capped(parser, fragment, &too_deep)
}

fn feed_capped(
    mut parser: html5ever::driver::Parser<CappedSink>,
    source: &str,
    too_deep: &Cell<bool>,
) -> Html {
    let mut rest = source;
    while !rest.is_empty() && !too_deep.get() {
        let mut end = rest.len().min(PARSE_CHUNK);
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        parser.process(StrTendril::from_slice(&rest[..end]));
        rest = &rest[end..];
    }
    parser.finish()
}

/// scraper's tree sink, noting when an element is put deeper than [`MAX_DEPTH`].
struct CappedSink {
    inner: HtmlTreeSink,
    too_deep: Rc<Cell<bool>>,
}

impl CappedSink {
    fn new(html: Html) -> (CappedSink, Rc<Cell<bool>>) {
        let too_deep = Rc::new(Cell::new(false));
        let sink = CappedSink {
            inner: HtmlTreeSink::new(html),
            too_deep: Rc::clone(&too_deep),
        };
        (sink, too_deep)
    }

    /// Notes a node put under `parent` when that is too deep (at most the cap's steps).
    fn check(&self, parent: &NodeId, child: &NodeOrText<NodeId>) {
        if self.too_deep.get() || matches!(child, NodeOrText::AppendText(_)) {
            return;
        }
        let html = self.inner.0.borrow();
        let mut node = html.tree.get(*parent);
        let mut depth = 0;
        while let Some(n) = node {
            depth += 1;
            if depth > MAX_DEPTH {
                self.too_deep.set(true);
                return;
            }
            node = n.parent();
        }
    }
}

impl TreeSink for CappedSink {
    type Handle = NodeId;
    type Output = Html;
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Html {
        self.inner.finish()
    }
    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg)
    }
    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        self.inner.create_element(name, attrs, flags)
    }
    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.check(parent, &child);
        self.inner.append(parent, child)
    }
    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        self.check(element, &child);
        self.inner
            .append_based_on_parent_node(element, prev_element, child)
    }
    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }
    fn mark_script_already_started(&self, node: &NodeId) {
        self.inner.mark_script_already_started(node)
    }
    fn pop(&self, node: &NodeId) {
        self.inner.pop(node)
    }
    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.check(sibling, &new_node);
        self.inner.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }
    fn associate_with_form(
        &self,
        target: &NodeId,
        form: &NodeId,
        nodes: (&NodeId, Option<&NodeId>),
    ) {
        self.inner.associate_with_form(target, form, nodes)
    }
    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent)
    }
    fn is_mathml_annotation_xml_integration_point(&self, handle: &NodeId) -> bool {
        self.inner
            .is_mathml_annotation_xml_integration_point(handle)
    }
    fn set_current_line(&self, line_number: u64) {
        self.inner.set_current_line(line_number)
    }
    fn allow_declarative_shadow_roots(&self, intended_parent: &NodeId) -> bool {
        self.inner.allow_declarative_shadow_roots(intended_parent)
    }
    fn attach_declarative_shadow(
        &self,
        location: &NodeId,
        template: &NodeId,
        attrs: &[Attribute],
    ) -> bool {
        self.inner
            .attach_declarative_shadow(location, template, attrs)
    }
    fn maybe_clone_an_option_into_selectedcontent(&self, option: &NodeId) {
        self.inner
            .maybe_clone_an_option_into_selectedcontent(option)
    }
}
