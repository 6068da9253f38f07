"""Writes schemas/vendor/vllm-sr/UserConfig.schema.json: the JSON Schema pydantic derives from
vLLM Semantic Router's own config model (src/vllm-sr/cli/models.py, class UserConfig).

Usage: python3 scripts/vendor-vllm-sr-schema.py <checkout of vllm-project/semantic-router> <commit>
(needs pydantic 2 and PyYAML; see schemas/vendor/README.md)."""

import json
import sys

root, commit = sys.argv[1], sys.argv[2]
sys.path.insert(0, f"{root}/src/vllm-sr")
from cli.models import UserConfig  # noqa: E402

schema = UserConfig.model_json_schema(by_alias=True, mode="validation")
schema["$comment"] = json.dumps(
    {
        "repository": "vllm-project/semantic-router",
        "path": "src/vllm-sr/cli/models.py",
        "class": "UserConfig",
        "commit": commit,
        "generator": "pydantic model_json_schema(by_alias=True, mode='validation')",
    }
)
with open("schemas/vendor/vllm-sr/UserConfig.schema.json", "w") as f:
    json.dump(schema, f, sort_keys=True)
    f.write("\n")
