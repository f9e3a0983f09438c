"""A linear census of markup (nesting depth, element count) taken before a costly tree builder sees it.

BeautifulSoup and our HTML cleaning are linear in elements but not in depth: 200,000 nested divs ran for minutes
(each element's ancestors are walked again), while libxml2's event parser streams the same page in 0.1 s. So
the census uses that parser with no tree and no text callbacks, and stops at the first bound it passes. For HTML it
sees exactly the elements BeautifulSoup's lxml builder will get (same parser, same options).
"""

from __future__ import annotations

from lxml import etree

from .limits import LimitExceeded, ReadLimits


class Census:
    """lxml parser target counting elements and tracking depth; raises LimitExceeded as soon as one is over."""

    def __init__(self, what: str, limits: ReadLimits, max_elements: int, elements_bound: str):
        self.what = what
        self.max_depth = limits.max_depth
        self.max_elements = max_elements
        self.elements_bound = elements_bound
        self.depth = 0
        self.elements = 0

    def start(self, tag, attrib, nsmap=None) -> None:
        self.depth += 1
        self.elements += 1
        if self.depth > self.max_depth:
            raise LimitExceeded(f"{self.what} nesting depth", f"of at least {self.depth} levels",
                                f"{self.max_depth}", "max_depth")
        if self.elements > self.max_elements:
            raise LimitExceeded(f"{self.what} element count", f"of at least {self.elements:,}",
                                f"{self.max_elements:,}", self.elements_bound)

    def end(self, tag) -> None:
        self.depth -= 1

    def close(self) -> int:
        return self.elements

    def html_parser(self) -> etree.HTMLParser:
        return etree.HTMLParser(target=self, recover=True)  # as bs4's LXMLTreeBuilder, so we count its tree

    def xml_parser(self) -> etree.XMLParser:
        """A fresh parser for one XML part (depth restarts; the element count runs on over all parts). It keeps
        going past syntax errors: judging well-formedness is python-docx's job, ours is only the cost."""
        self.depth = 0
        return etree.XMLParser(target=self, huge_tree=True, recover=True, resolve_entities=False, no_network=True)


def check_html(markup: str, limits: ReadLimits) -> None:
    """Refuse a page deeper than limits.max_depth or with more than limits.max_html_elements elements."""
    census = Census("HTML", limits, limits.max_html_elements, "max_html_elements")
    parser = census.html_parser()
    parser.feed(markup)
    parser.close()
