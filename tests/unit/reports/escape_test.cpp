#include "reports/escape.h"

#include "tests/support/catch.h"

using namespace mcpleak::reports;

TEST_CASE("html_escape neutralises markup and quotes", "[reports]") {
  CHECK(html_escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(html_escape("a \"b\" 'c'") == "a &quot;b&quot; &#39;c&#39;");
  // Ampersands are escaped once, including ones that already look like entities.
  CHECK(html_escape("R&D &amp;") == "R&amp;D &amp;amp;");
}

TEST_CASE("html_escape passes valid UTF-8 through and replaces invalid bytes", "[reports]") {
  const std::string unicode = "\xc3\xbc \xe2\x9c\x93 \xe6\x97\xa5 \xf0\x9f\x90\x9b";  // ü ✓ 日 🐛
  CHECK(html_escape(unicode) == unicode);
  CHECK(html_escape("a\xff" "b") == "a\xEF\xBF\xBD" "b");
  // Truncated sequence, overlong '/', and a UTF-16 surrogate: each byte becomes U+FFFD.
  CHECK(sanitize_utf8("\xe2\x9c") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(sanitize_utf8("\xc0\xaf") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(sanitize_utf8("\xed\xa0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("xml_escape removes what XML 1.0 cannot carry", "[reports]") {
  CHECK(xml_escape("a<b>&'\"") == "a&lt;b&gt;&amp;&apos;&quot;");
  CHECK(xml_escape(std::string("bell\x07!", 6)) == "bell\xEF\xBF\xBD!");
  CHECK(xml_escape("l1\nl2\tx") == "l1&#10;l2&#9;x");
  CHECK(xml_escape_text("l1\nl2") == "l1\nl2");
}

TEST_CASE("markdown_escape keeps a server string inside one table cell", "[reports]") {
  CHECK(markdown_escape("a|b\nc") == "a\\|b c");
  CHECK(markdown_escape("<img src=x>") == "\\<img src=x\\>");
  CHECK(markdown_escape("**bold** [link](x) `code`") ==
        "\\*\\*bold\\*\\* \\[link\\](x) \\`code\\`");
  CHECK(markdown_escape("plain-text_1.0") == "plain-text\\_1.0");
}
