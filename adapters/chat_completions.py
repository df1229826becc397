"""The one place SkillHub calls a language model: an OpenAI-compatible chat completions endpoint
(`POST {SKILLHUB_AI_CHAT_URL}/chat/completions`), only when that setting is set. Standard library
HTTP: one request, a timeout, no retries (the caller falls back or reports it)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from adapters.settings import Settings


class ChatUnavailable(Exception):
    """The endpoint could not be reached or answered something that is not a chat completion."""


def configured(settings: Settings) -> bool:
    return bool(settings.ai_chat_url)


def complete(settings: Settings, system: str, user: str, temperature: float = 0.2) -> str:
    """The assistant's reply to one system and one user message."""
    if not settings.ai_chat_url:
        raise ChatUnavailable("no chat endpoint is configured (SKILLHUB_AI_CHAT_URL)")
    body = {"model": settings.ai_chat_model, "temperature": temperature,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}]}
    headers = {"Content-Type": "application/json"}
    if settings.ai_chat_api_key:
        headers["Authorization"] = f"Bearer {settings.ai_chat_api_key}"
    request = urllib.request.Request(settings.ai_chat_url.rstrip("/") + "/chat/completions",
                                     data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=settings.ai_chat_timeout_seconds) as response:  # noqa: S310
            answer = json.loads(response.read())
        return str(answer["choices"][0]["message"]["content"])
    except (urllib.error.URLError, OSError, ValueError, KeyError, IndexError, TypeError) as e:
        raise ChatUnavailable(f"the chat endpoint failed: {e}") from e
