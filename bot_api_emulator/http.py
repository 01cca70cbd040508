"""The emulator over HTTP on 127.0.0.1, for running ``newsbot run`` as a real subprocess.

It serves ``POST``/``GET /bot<token>/<method>`` with query-string, form-urlencoded, JSON or
multipart bodies, the way PTB's HTTPXRequest (and Telegram) accept them. HTTP/1.1 framing is
done by h11, the same library under httpx.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

import h11

from bot_api_emulator.errors import ApiError, InjectedNetworkError
from bot_api_emulator.request import encode_answer, encode_error, split_api_path

if TYPE_CHECKING:
    from bot_api_emulator.emulator import BotApiEmulator

MAX_BODY = 50 * 1024 * 1024


def _parse_body(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    kind = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return {}, {}
    if kind == "application/json":
        decoded = json.loads(body)
        if not isinstance(decoded, dict):
            raise ApiError(400, "Bad Request: the JSON body must be an object")
        return decoded, {}
    if kind == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + body)
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        for part in message.iter_parts():
            assert isinstance(part, Message)
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if not isinstance(name, str) or not isinstance(payload, bytes):
                continue
            if part.get_filename() is not None:
                files[name] = payload
            else:
                params[name] = payload.decode("utf-8")
        return params, files
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)), {}


class _Server:
    def __init__(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator
        self.open: set[asyncio.Task[None]] = set()

    async def close_connections(self) -> None:
        for task in list(self.open):
            task.cancel()
        await asyncio.gather(*self.open, return_exceptions=True)

    async def answer(self, target: str, content_type: str, body: bytes) -> tuple[int, bytes]:
        url = urlsplit(target)
        token, method = split_api_path(url.path)
        if not url.path.startswith("/bot") or not method:
            return 404, b'{"ok":false,"error_code":404,"description":"Not Found"}'
        try:
            self.emulator.check_token(token)
            params, files = _parse_body(content_type, body)
            params.update(parse_qsl(url.query, keep_blank_values=True))
            result = await self.emulator.call(method, params, files)
        except ApiError as exc:
            return encode_error(exc)
        except ValueError:
            return encode_error(ApiError(400, "Bad Request: can't parse the request body"))
        return encode_answer(result)

    async def connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=64 * 1024)
        task = asyncio.current_task()
        if task is not None:
            self.open.add(task)
        try:
            while True:
                request, body = await self._read_request(conn, reader)
                if request is None:
                    return
                headers = {name.decode().lower(): value.decode() for name, value in request.headers}
                try:
                    status, payload = await self.answer(
                        request.target.decode(), headers.get("content-type", ""), body
                    )
                except InjectedNetworkError:
                    return  # drop the connection without an answer, as a network failure would
                response = h11.Response(
                    status_code=status,
                    headers=[
                        ("content-type", "application/json"),
                        ("content-length", str(len(payload))),
                    ],
                )
                writer.write(conn.send(response) + conn.send(h11.Data(data=payload)))
                writer.write(conn.send(h11.EndOfMessage()))
                await writer.drain()
                if conn.our_state is h11.MUST_CLOSE:
                    return
                conn.start_next_cycle()
        except (ConnectionError, h11.ProtocolError):
            return
        except asyncio.CancelledError:
            # The front is shutting down while a long poll waits: end this connection
            # quietly (asyncio's stream callback would log a cancelled task as an error).
            return
        finally:
            if task is not None:
                self.open.discard(task)
            writer.close()
            with suppress(ConnectionError):
                await writer.wait_closed()

    @staticmethod
    async def _read_request(
        conn: h11.Connection, reader: asyncio.StreamReader
    ) -> tuple[h11.Request | None, bytes]:
        request: h11.Request | None = None
        body = bytearray()
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                conn.receive_data(await reader.read(65536))
                continue
            if isinstance(event, h11.Request):
                request = event
            elif isinstance(event, h11.Data):
                body += event.data
                if len(body) > MAX_BODY:
                    return None, b""
            elif isinstance(event, h11.EndOfMessage):
                return request, bytes(body)
            else:  # ConnectionClosed or PAUSED
                return None, b""


@asynccontextmanager
async def serve_http(emulator: BotApiEmulator, port: int = 0) -> AsyncIterator[str]:
    """Serve the emulator on 127.0.0.1; yield the base URL for ``TELEGRAM_API_BASE_URL``.

    The yielded value ends in ``/bot``, so ``{base}{token}/{method}`` is a Bot API URL.
    """
    handler = _Server(emulator)
    server = await asyncio.start_server(handler.connection, "127.0.0.1", port)
    bound = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{bound}/bot"
    finally:
        server.close()
        # Long polls hold connections open: end them, then the listener can close.
        await handler.close_connections()
        with suppress(TimeoutError):
            await asyncio.wait_for(server.wait_closed(), 1)
