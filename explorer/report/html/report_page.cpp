// report.html: the page's frame, its data as an inline JSON script, and the script and style compiled into
// dse from report_charts.js, report_views.js, report.js and report.css (CMake turns them into
// report_assets.hpp).
#include "explorer/report/html/report_page.hpp"

#include <string>

#include "explorer/report/html/report_assets.hpp"
#include "sim/io/output_file.hpp"

namespace deepchip::explorer {

namespace {

// `s` with each of '<', '>' and '&' replaced by the matching entry of `with` (in that order).
std::string escape_markup(const std::string& s, const char* const (&with)[3]) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    if (c == '<')
      out += with[0];
    else if (c == '>')
      out += with[1];
    else if (c == '&')
      out += with[2];
    else
      out += c;
  }
  return out;
}

// JSON inside <script>: no character may change the HTML parser's state ("</script" ends the element,
// "<!--" followed by "<script" enters the double-escaped state, where the closing tag no longer closes).
// '<', '>' and '&' only occur inside JSON strings, where "\u003c", "\u003e" and "\u0026" are the same
// string to JSON.parse.
std::string script_safe_json(const nlohmann::json& data) {
  return escape_markup(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                       {"\\u003c", "\\u003e", "\\u0026"});
}

std::string html_escape(const std::string& s) { return escape_markup(s, {"&lt;", "&gt;", "&amp;"}); }

}  // namespace

std::string report_page_html(const nlohmann::json& data) {
  const std::string title = data.value("kind", "") == "sweep" ? data["summary"].value("title", "sweep")
                                                              : data.value("title", "point");
  std::string page;
  page += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  // Nothing may leave the file: no fetch, image, font or frame from anywhere.
  page +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src "
      "'unsafe-inline'; "
      "style-src 'unsafe-inline'; img-src data:\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<title>DeepChip DSE report: " + html_escape(title) + "</title>\n";
  page += "<style>\n" + std::string(kReportCss) + "</style>\n</head>\n<body>\n";
  page += "<script id=\"dse-data\" type=\"application/json\">" + script_safe_json(data) + "</script>\n";
  page += "<div id=\"report\"></div>\n";
  page += "<script>\n" + std::string(kReportJs) + "</script>\n</body></html>\n";
  return page;
}

void write_report_page(const nlohmann::json& data, const std::filesystem::path& file) {
  sim::write_file_atomically(file, report_page_html(data));
}

}  // namespace deepchip::explorer
