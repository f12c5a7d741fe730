#pragma once
// ReportDoc: the whole report as data (sections of charts and tables), built from runs by
// the views and written by the HTML and gnuplot writers. Building it touches no file.
#include <string>
#include <vector>

#include "report/chart.h"
#include "report/table.h"

namespace nnc::report {

struct Section {
  std::string id;     ///< anchor in the page: [a-z0-9-] only
  std::string title;
  std::string intro;  ///< one paragraph: what is plotted, from which metrics
  std::vector<Chart> charts;
  std::vector<Table> tables;
  std::vector<std::string> notes;  ///< runs left out and why
};

struct ReportDoc {
  std::string title = "nncompress report";
  std::string source;        ///< the results directory
  std::string generated_at;  ///< ISO-8601 UTC
  std::vector<Section> sections;
  std::vector<std::string> notes;

  size_t chart_count() const {
    size_t n = 0;
    for (auto& s : sections) n += s.charts.size();
    return n;
  }
};

}  // namespace nnc::report
