// Reads the named arrays written by reference_prediction_criteria.py (numpy/scipy values
// the CPU twins are checked against). The build writes the file; its path is compiled in.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace salient::testing {

class ReferenceData {
 public:
  static const ReferenceData& get() {
    static const ReferenceData data(SALIENT_PREDICTION_REFERENCE);
    return data;
  }

  const std::vector<double>& operator[](const std::string& name) const {
    const auto found = arrays_.find(name);
    if (found == arrays_.end()) throw std::runtime_error("reference array " + name + " is missing");
    return found->second;
  }

  std::vector<float> floats(const std::string& name) const {
    const auto& values = (*this)[name];
    return {values.begin(), values.end()};
  }

 private:
  explicit ReferenceData(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open the reference file " + path + " (built by the test target)");
    std::string tag, name, value;
    std::size_t count = 0;
    while (in >> tag >> name >> count) {
      if (tag != "array") throw std::runtime_error("malformed reference file " + path);
      auto& values = arrays_[name];
      values.reserve(count);
      for (std::size_t i = 0; i < count && in >> value; ++i) values.push_back(std::strtod(value.c_str(), nullptr));
      if (values.size() != count) throw std::runtime_error("reference array " + name + " is truncated");
    }
  }

  std::map<std::string, std::vector<double>> arrays_;
};

}  // namespace salient::testing
