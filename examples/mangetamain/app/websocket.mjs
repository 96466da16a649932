// A minimal WebSocket server side (RFC 6455) on node:http's `upgrade` event: the handshake, text
// frames in and out (masked from the client, unmasked to it), ping/pong and close. Enough for a
// dashboard's live channel; no extensions, no fragmentation across frames.
import { createHash } from "node:crypto";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** Answers the upgrade; returns a socket wrapper with `send(text)` and `onMessage(fn)`, or null. */
export function acceptWebSocket(req, socket) {
  const key = req.headers["sec-websocket-key"];
  if (req.headers.upgrade?.toLowerCase() !== "websocket" || !key) {
    socket.end("HTTP/1.1 400 Bad Request\r\n\r\n");
    return null;
  }
  const accept = createHash("sha1")
    .update(key + GUID)
    .digest("base64");
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  let buffer = Buffer.alloc(0);
  const listeners = [];
  const frame = (opcode, payload) => {
    const length = payload.length;
    const head =
      length < 126
        ? Buffer.from([0x80 | opcode, length])
        : length < 65536
          ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 255])
          : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(length)]);
    if (!socket.destroyed) socket.write(Buffer.concat([head, payload]));
  };
  socket.on("data", (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (buffer.length < 2) return;
      const opcode = buffer[0] & 0x0f;
      const masked = (buffer[1] & 0x80) !== 0;
      let length = buffer[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        length = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const mask = masked ? buffer.subarray(offset, offset + 4) : null;
      if (masked) offset += 4;
      if (buffer.length < offset + length) return;
      const payload = Buffer.from(buffer.subarray(offset, offset + length));
      buffer = buffer.subarray(offset + length);
      if (mask) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
      if (opcode === 0x8) {
        frame(0x8, payload.subarray(0, 2));
        socket.end();
        return;
      }
      if (opcode === 0x9) frame(0xa, payload);
      else if (opcode === 0x1) for (const fn of listeners) fn(payload.toString("utf8"));
    }
  });
  socket.on("error", () => {});
  return {
    send: (text) => frame(0x1, Buffer.from(text, "utf8")),
    onMessage: (fn) => listeners.push(fn),
    close: () => {
      frame(0x8, Buffer.from([0x03, 0xe8]));
      socket.end();
    },
  };
}

function bigLength(n) {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}
