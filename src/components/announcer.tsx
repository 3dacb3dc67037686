"use client";

import { useEffect, useState } from "react";

type TListener = (message: string) => void;
const listeners = new Set<TListener>();

/** Says what an action did, in a message that outlives the refresh that removes the row it was taken on. */
export function announce(message: string): void {
  for (const l of listeners) l(message);
}

/** The console's one confirmation area (bottom right, a polite live region); the last few messages, each for 10 s. */
export function Announcer() {
  const [messages, setMessages] = useState<{ id: number; text: string }[]>([]);
  useEffect(() => {
    let next = 0;
    const listener: TListener = (text) => {
      const id = ++next;
      setMessages((m) => [...m.slice(-2), { id, text }]);
      setTimeout(() => setMessages((m) => m.filter((x) => x.id !== id)), 10_000);
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return (
    <div role="status" aria-live="polite" data-testid="announcer" className="pointer-events-none fixed right-4 bottom-4 z-50 flex max-w-sm flex-col gap-2">
      {messages.map((m) => (
        <p key={m.id} className="pointer-events-auto rounded-md border border-green-200 bg-green-50 px-4 py-2 text-sm text-green-900 shadow-md [overflow-wrap:anywhere]">
          {m.text}
        </p>
      ))}
    </div>
  );
}
