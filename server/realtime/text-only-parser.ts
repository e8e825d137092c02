import { Decoder, Encoder, type Packet } from 'socket.io-parser';

/**
 * Socket.IO's default encoder walks every outgoing payload looking for binary data (hasBinary)
 * before encoding it; with thousands of positions per second that walk showed in realtime's
 * profile. This platform never sends binary, so packets go straight to the text form. The wire
 * format is unchanged: clients keep the default parser.
 */
class TextOnlyEncoder extends Encoder {
  override encode(packet: Packet): string[] {
    return [(this as unknown as { encodeAsString(p: Packet): string }).encodeAsString(packet)];
  }
}

export const textOnlyParser = { Encoder: TextOnlyEncoder, Decoder };
