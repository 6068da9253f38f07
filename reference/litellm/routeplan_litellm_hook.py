"""routeplan's per-request decision inside the LiteLLM proxy.

A pre-call hook (LiteLLM's documented CustomLogger.async_pre_call_hook, docs/proxy/call_hooks):
for a request with model "routeplan-auto" it asks `routeplan serve-router` (POST
/v1/routeplan/decide) which model the policy picks for this prompt, and rewrites the request's
model to that policy model id, which the exported config serves as a model_name of its own. When
the router cannot answer in time, the request keeps "routeplan-auto" and LiteLLM serves it from the
static split in the same config (the labelled fallback), and the reason is put in the request's
metadata. A task label, when the client sends one (body "task" or metadata.task), is passed on.
Prompts are sent to the router only, never logged here.

Configuration (environment, as the exported config's environment_variables sets them):
  ROUTEPLAN_ROUTER_URL      base URL of serve-router (default http://127.0.0.1:8686)
  ROUTEPLAN_ROUTER_TOKEN_ENV  name of the variable that holds serve-router's token (optional)
  ROUTEPLAN_ROUTER_TIMEOUT  seconds to wait for a decision (default 2)

Standard library only, so that it runs in any LiteLLM image.
"""

import asyncio
import json
import logging
import os
import urllib.error
import urllib.request

from litellm.integrations.custom_logger import CustomLogger

AUTO_MODEL = "routeplan-auto"
log = logging.getLogger("routeplan")


class RouteplanRouter(CustomLogger):
    def __init__(self, url=None, token=None, timeout=None):
        super().__init__()
        self.url = (url or os.environ.get("ROUTEPLAN_ROUTER_URL") or "http://127.0.0.1:8686").rstrip("/")
        token_env = os.environ.get("ROUTEPLAN_ROUTER_TOKEN_ENV")
        self.token = token if token is not None else (os.environ.get(token_env) if token_env else None)
        self.timeout = float(timeout if timeout is not None else os.environ.get("ROUTEPLAN_ROUTER_TIMEOUT", "2"))

    def decide(self, messages, task=None):
        """The policy's decision for these messages: serve-router's JSON answer."""
        body = {"messages": messages}
        if task:
            body["task"] = task
        headers = {"content-type": "application/json"}
        if self.token:
            headers["authorization"] = "Bearer " + self.token
        req = urllib.request.Request(self.url + "/v1/routeplan/decide", data=json.dumps(body).encode("utf-8"), headers=headers, method="POST")
        with urllib.request.urlopen(req, timeout=self.timeout) as r:
            return json.loads(r.read().decode("utf-8"))

    async def async_pre_call_hook(self, user_api_key_dict, cache, data, call_type):
        if data.get("model") != AUTO_MODEL or not data.get("messages"):
            return data
        metadata = data.get("metadata")
        if not isinstance(metadata, dict):
            metadata = data["metadata"] = {}
        task = data.pop("task", None) or metadata.get("task")
        try:
            decision = await asyncio.to_thread(self.decide, data["messages"], task)
        except (urllib.error.URLError, OSError, ValueError) as err:
            # Never a silent switch: the static split serves it, and says why.
            reason = getattr(err, "reason", None) or str(err)
            metadata["routeplan_fallback"] = "static split: serve-router did not decide (%s)" % reason
            log.warning("routeplan: serve-router did not decide, static split serves the request: %s", reason)
            return data
        data["model"] = decision["model"]
        metadata["routeplan"] = {k: decision.get(k) for k in ("model", "task", "task_source", "probability", "estimated_cost", "policy_sha256")}
        return data


proxy_handler_instance = RouteplanRouter()
