#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "io/config_json.h"
#include "matching/config.h"

namespace tandem::cli {

int RunConfig(const ConfigArgs& args) {
  auto model = matching::ParseModel(args.model);
  if (!model) return Fail(Status::Invalid("--model: unknown model '" + args.model + "'"));
  std::printf("%s\n", io::ConfigToJson(matching::DefaultConfig(*model)).c_str());
  return kExitOk;
}

}  // namespace tandem::cli
