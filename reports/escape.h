// Escaping of untrusted text (server command lines, names, warnings, error strings) for
// each output format. Everything a server says is hostile until escaped here.
#pragma once

#include <string>
#include <string_view>

namespace mcpleak::reports {

// Valid UTF-8 passes through; each byte of an invalid sequence becomes U+FFFD, so the
// HTML, XML and JSON writers never emit malformed text.
std::string sanitize_utf8(std::string_view text);

// For HTML text and attribute values: & < > " ' become entities; UTF-8 is sanitized;
// NUL becomes U+FFFD. Non-ASCII characters pass through (pages are declared UTF-8).
std::string html_escape(std::string_view text);

// For XML 1.0 text and attribute values: like html_escape, and control characters that
// XML 1.0 forbids become U+FFFD; tab, CR and LF become character references so that
// attribute-value normalisation keeps them.
std::string xml_escape(std::string_view text);

// For XML element text where line breaks should stay readable: like xml_escape, but LF
// and tab are kept as they are (only attribute values need them as references).
std::string xml_escape_text(std::string_view text);

// For one line of Markdown, including a table cell: CR, LF and tab become spaces, and
// characters with Markdown or HTML meaning (\ ` * _ [ ] < > | ~ # &) are backslash-escaped,
// so a server string can neither break the table nor inject markup.
std::string markdown_escape(std::string_view text);

}  // namespace mcpleak::reports
