import type { JSX } from "react";
import { type ProviderName, type Providers, providerLabels, ssoStartUrl } from "../lib/auth";

function GoogleMark() {
  return (
    <svg width="16" height="16" viewBox="0 0 48 48" aria-hidden="true">
      <path
        fill="#FFC107"
        d="M43.6 20.5H42V20H24v8h11.3C33.7 32.7 29.2 36 24 36c-6.6 0-12-5.4-12-12s5.4-12 12-12c3.1 0 5.8 1.2 7.9 3.1l5.7-5.7C34.1 6.1 29.3 4 24 4 12.9 4 4 12.9 4 24s8.9 20 20 20 20-8.9 20-20c0-1.3-.1-2.4-.4-3.5z"
      />
      <path
        fill="#FF3D00"
        d="m6.3 14.7 6.6 4.8C14.7 15.1 19 12 24 12c3.1 0 5.8 1.2 7.9 3.1l5.7-5.7C34.1 6.1 29.3 4 24 4 16.3 4 9.7 8.3 6.3 14.7z"
      />
      <path
        fill="#4CAF50"
        d="M24 44c5.2 0 9.9-2 13.4-5.2l-6.2-5.2C29.2 35.1 26.7 36 24 36c-5.2 0-9.6-3.3-11.3-8l-6.5 5C9.5 39.6 16.2 44 24 44z"
      />
      <path
        fill="#1976D2"
        d="M43.6 20.5H42V20H24v8h11.3c-.8 2.2-2.2 4.2-4.1 5.6l6.2 5.2C37 39.2 44 34 44 24c0-1.3-.1-2.4-.4-3.5z"
      />
    </svg>
  );
}

function MicrosoftMark() {
  return (
    <svg width="16" height="16" viewBox="0 0 21 21" aria-hidden="true">
      <rect x="1" y="1" width="9" height="9" fill="#f25022" />
      <rect x="11" y="1" width="9" height="9" fill="#7fba00" />
      <rect x="1" y="11" width="9" height="9" fill="#00a4ef" />
      <rect x="11" y="11" width="9" height="9" fill="#ffb900" />
    </svg>
  );
}

const marks: Record<ProviderName, () => JSX.Element> = { google: GoogleMark, microsoft: MicrosoftMark };

/** One button per configured single sign-on provider; each starts the provider's flow on the server. */
export function SsoButtons({
  providers,
  intent,
  next,
  verb,
  divider = true,
}: {
  providers: Providers;
  intent: "signin" | "register";
  next?: string | undefined;
  verb: string;
  /** An "or" line above the buttons, separating them from a password form. */
  divider?: boolean;
}) {
  const configured = (Object.keys(providerLabels) as ProviderName[]).filter((name) => providers[name]);
  if (configured.length === 0) return null;
  return (
    <div className="sso">
      {divider ? (
        <p className="divider">
          <span>or</span>
        </p>
      ) : null}
      {configured.map((name) => {
        const Mark = marks[name];
        return (
          <a key={name} href={ssoStartUrl(name, intent, next)} className="button button-block">
            <Mark />
            {verb} with {providerLabels[name]}
          </a>
        );
      })}
    </div>
  );
}
