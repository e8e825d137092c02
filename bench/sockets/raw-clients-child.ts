import WebSocket from 'ws';

/**
 * `room-frames-ab.ts`'s clients: N raw WebSocket clients speaking the Engine.IO/Socket.IO wire
 * protocol (no auth, no watch), client i asking for room `cell:<i mod 40>`; reports to the parent
 * how many event packets all of them received, every 50 ms, and `ready` once all are connected.
 */
const [url, count] = [process.argv[2]!, Number(process.argv[3])];
let received = 0;
let connected = 0;
for (let i = 0; i < count; i++) {
  const ws = new WebSocket(`${url}/socket.io/?EIO=4&transport=websocket`, {
    perMessageDeflate: false,
    skipUTF8Validation: true,
  });
  ws.on('message', (data) => {
    const text = data.toString();
    if (text === '2') ws.send('3');
    else if (text.startsWith('0{')) ws.send(`40${JSON.stringify({ room: i % 40 })}`);
    else if (text.startsWith('40{')) {
      if (++connected === count) process.send?.({ ready: true });
    } else if (text.startsWith('42')) received++;
  });
}
setInterval(() => process.send?.({ received }), 50);
