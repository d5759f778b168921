#include "io/history.h"

#include <fstream>

namespace tandem::io {
namespace {

std::string Trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\"");
  const auto e = s.find_last_not_of(" \t\r\"");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> LoadPairHistory(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path + ": cannot open file");
  std::vector<std::pair<std::string, std::string>> pairs;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) {
      line.erase(0, 3);
    }
    if (Trim(line).empty()) continue;
    const auto comma = line.find(',');
    if (comma == std::string::npos) {
      return Status::Invalid(path + ":" + std::to_string(number) +
                             ": expected mentee_id,mentor_id");
    }
    const auto next = line.find(',', comma + 1);
    std::string mentee = Trim(line.substr(0, comma));
    std::string mentor = Trim(
        line.substr(comma + 1, next == std::string::npos ? std::string::npos : next - comma - 1));
    if (number == 1 && (mentee == "mentee_id" || mentee == "mentee")) continue;  // header
    if (mentee.empty() || mentor.empty()) {
      return Status::Invalid(path + ":" + std::to_string(number) + ": column '" +
                             std::string(mentee.empty() ? "mentee_id" : "mentor_id") + "': empty");
    }
    pairs.emplace_back(std::move(mentee), std::move(mentor));
  }
  return pairs;
}

}  // namespace tandem::io
