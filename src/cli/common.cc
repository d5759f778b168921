#include "cli/common.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace tandem::cli {
namespace {

std::atomic<bool> g_cancel{false};

extern "C" void OnSignal(int signal) {
  if (g_cancel.load()) {
    std::signal(signal, SIG_DFL);
    std::raise(signal);
    return;
  }
  g_cancel.store(true);
}

}  // namespace

const std::atomic<bool>* InstallCancelHandler() {
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  return &g_cancel;
}

int Fail(const Status& status) {
  std::fprintf(stderr, "tandem: %s\n", status.message().c_str());
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kIoError:
      return kExitBadInput;
    case StatusCode::kCancelled:
      return kExitCancelled;
    default:
      return kExitFailure;
  }
}

Status WriteFileAtomically(const std::string& path, const std::string& content) {
  const std::string temp = path + ".partial";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Io(path + ": cannot write file");
    out << content;
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temp, ignored);
      return Status::Io(path + ": write failed");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return Status::Io(path + ": cannot move the file into place");
  }
  return Status::Ok();
}

}  // namespace tandem::cli
