/**
 * Compress responses for clients that accept it (GraphiQL's page is ≈ 9 MB of inlined assets),
 * but never a stream: gzip buffers its input, so Server-Sent Events would sit in the compressor
 * instead of reaching the subscriber.
 */
import { useContentEncoding } from '@whatwg-node/server';
import type { Plugin } from 'graphql-yoga';

const STREAMING = /text\/event-stream|multipart\/mixed/i;

export const useCompressionExceptStreams = (): Plugin => {
  const compression = useContentEncoding();
  return {
    onResponse(payload) {
      if (STREAMING.test(payload.response.headers.get('content-type') ?? '')) return;
      return compression.onResponse?.(payload as never);
    },
  };
};
