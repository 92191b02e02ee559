// report.html: the page's frame, its data as an inline JSON script, and the script and style compiled into
// dse from report.js and report.css (CMake turns them into report_assets.hpp).
#include "explorer/html/report_page.hpp"

#include <string>

#include "explorer/atomic_file.hpp"
#include "explorer/html/report_assets.hpp"

namespace deepchip::explorer {

namespace {

// JSON inside <script>: "</" would end the element, so it is written as "<\/" (the same string to JSON).
std::string script_safe_json(const nlohmann::json& data) {
  std::string s = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(s.size() + 16);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && i + 1 < s.size() && s[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

}  // namespace

void write_report_page(const nlohmann::json& data, const std::filesystem::path& file) {
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
  write_file_atomically(file, page);
}

}  // namespace deepchip::explorer
