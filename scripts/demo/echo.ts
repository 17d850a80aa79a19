// The demo program: an echo server and a client in one process, over 127.0.0.1, on
// whatever runtime runs it. Prints what crossed the wire in each direction.
import net, { type AddressInfo } from "../../mod.ts";

const runtime = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";
const versions = process.versions as Record<string, string | undefined>;
const version = versions.bun ?? versions.deno ?? process.version.slice(1);
const message = `hello from omninet on ${runtime} ${version}`;

const server = net.createServer((socket) => {
  socket.on("data", (data) => console.log(`  server got    ${JSON.stringify(String(data))}`));
  socket.pipe(socket);
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(`  listening on  127.0.0.1:${port}`);
  const client = net.connect(port, "127.0.0.1", () => {
    console.log(`  client sends  ${JSON.stringify(message)}`);
    client.end(message);
  });
  const received: Uint8Array[] = [];
  client.on("data", (data) => received.push(data));
  client.on("close", (hadError: boolean) => {
    const echoed = received.map((b) => new TextDecoder().decode(b)).join("");
    console.log(`  client got    ${JSON.stringify(echoed)} (${client.bytesRead} bytes, hadError=${hadError})`);
    server.close(() => {
      const ok = echoed === message;
      console.log(`  ${ok ? "echo ok" : "ECHO MISMATCH"}`);
      if (!ok) process.exitCode = 1;
    });
  });
});
