"""UDP proxy that holds every datagram towards the agent for DELAY seconds, concurrently,
so that one snmpd behaves like a fleet of devices that each take DELAY to answer.
Usage: udp_delay_proxy.py LISTEN_PORT UPSTREAM_PORT DELAY_SECONDS (127.0.0.1 only)."""
import asyncio, sys

LISTEN, UPSTREAM, DELAY = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])

class Upstream(asyncio.DatagramProtocol):
    def __init__(self, front, client):
        self.front, self.client = front, client
    def datagram_received(self, data, addr):
        self.front.sendto(data, self.client)

class Front(asyncio.DatagramProtocol):
    def __init__(self):
        self.upstreams = {}
    def connection_made(self, transport):
        self.transport = transport
    def datagram_received(self, data, client):
        asyncio.get_running_loop().call_later(DELAY, lambda: asyncio.ensure_future(self.forward(data, client)))
    async def forward(self, data, client):
        if client not in self.upstreams:
            transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(
                lambda: Upstream(self.transport, client), remote_addr=("127.0.0.1", UPSTREAM))
            self.upstreams[client] = transport
        self.upstreams[client].sendto(data)

async def main():
    await asyncio.get_running_loop().create_datagram_endpoint(Front, local_addr=("127.0.0.1", LISTEN))
    await asyncio.sleep(3600)

asyncio.run(main())
