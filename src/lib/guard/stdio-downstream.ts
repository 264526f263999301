import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { coalesceWritesThisTick } from './stdio-upstream.ts';

/** The client's side on the guard's own stdio, its writes of one tick sent together. */
class CoalescingStdioServerTransport extends StdioServerTransport {
  override send(message: Parameters<StdioServerTransport['send']>[0]): Promise<void> {
    coalesceWritesThisTick(process.stdout);
    return super.send(message);
  }
}

/** The transport to the agent's client over the guard's own stdin and stdout. */
export function guardStdio(): StdioServerTransport {
  return new CoalescingStdioServerTransport();
}
