import { useQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useLocation, useNavigate } from "@tanstack/react-router";
import { CircleCheck, Clock, MailX } from "lucide-react";
import { useEffect, useState } from "react";
import type { VerifyEmailOutput } from "../../shared/schemas/credentials";
import { Logo } from "../components/icons";
import { Pending } from "../components/ui";
import { httpErrorFrom, messageOf, reasonOf } from "../lib/errors";
import { useDocumentTitle } from "../lib/hooks";
import { queryClient } from "../lib/query-client";
import { postJson } from "../lib/session";
import { sessionTrpc } from "../lib/trpc";

/**
 * The page behind the link in the verification email: `/verify-email#token=…`. The token is in the
 * fragment, which the browser never sends to a server; the page posts it to /auth/verify-email.
 */
export const Route = createFileRoute("/verify-email")({
  component: VerifyEmailPage,
});

/** POST /auth/verify-email. Using a link twice is harmless: the second answer is `already_verified`. */
async function verifyEmail(token: string): Promise<VerifyEmailOutput> {
  const response = await postJson("/auth/verify-email", { token });
  if (!response.ok) throw await httpErrorFrom(response);
  return (await response.json()) as VerifyEmailOutput;
}

function tokenFromHash(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, "")).get("token")?.trim() ?? "";
}

function VerifyEmailPage() {
  const navigate = useNavigate();
  const hash = useLocation({ select: (location) => location.hash });
  const [token, setToken] = useState(() => tokenFromHash(hash));
  useEffect(() => {
    // Kept in state, then dropped from the address bar and history (another link opened here replaces it).
    const next = tokenFromHash(hash);
    if (!next) return;
    setToken(next);
    void navigate({ to: "/verify-email", replace: true });
  }, [hash, navigate]);
  const { data, error, isPending } = useQuery({
    queryKey: ["@auth", "verify-email", token],
    queryFn: () => verifyEmail(token),
    enabled: token !== "",
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  useEffect(() => {
    // A signed-in profile page shows "Not verified" until it reloads.
    if (data) void queryClient.invalidateQueries(sessionTrpc.system.profile.pathFilter());
  }, [data]);
  useDocumentTitle("Verify your address");

  return (
    <main className="standalone" id="main">
      <div className="standalone-card sign-in">
        <Logo size={36} />
        {token === "" ? (
          <Refused
            title="This link is not complete"
            text="Open the whole link from the email. If it still does not work, ask for a new one on your profile page."
          />
        ) : isPending ? (
          <>
            <Pending />
            <p className="muted">Verifying your address…</p>
          </>
        ) : data ? (
          <Verified result={data} />
        ) : (
          <Failed error={error} />
        )}
      </div>
    </main>
  );
}

function Verified({ result }: { result: VerifyEmailOutput }) {
  return (
    <>
      <CircleCheck size={28} aria-hidden="true" className="text-success" />
      <h1 className="standalone-title">
        {result.status === "verified" ? "Your address is verified" : "Your address was already verified"}
      </h1>
      <p className="muted">
        <span className="strong">{result.email}</span> is confirmed as the sign-in address of your Nexus
        account.
      </p>
      <Link to="/" className="button button-primary">
        Go to Nexus
      </Link>
    </>
  );
}

function Failed({ error }: { error: unknown }) {
  switch (reasonOf(error)) {
    case "email_verification_expired":
      return (
        <Refused
          expired
          title="This link has expired"
          text="Verification links work for 48 hours. Sign in and ask for a new one on your profile page."
        />
      );
    case "email_verification_superseded":
      return (
        <Refused
          title="This link is for an earlier address"
          text="The account's sign-in address has changed since this link was sent, so it cannot verify it. Use the link in the newest email, or ask for a new one on your profile page."
        />
      );
    case "email_verification_invalid":
      return (
        <Refused
          title="This link is not valid"
          text="Open the whole link from the email. If it still does not work, ask for a new one on your profile page."
        />
      );
    default:
      return <Refused title="The address could not be verified" text={messageOf(error)} />;
  }
}

function Refused({ title, text, expired }: { title: string; text: string; expired?: boolean }) {
  const Icon = expired ? Clock : MailX;
  return (
    <>
      <Icon size={28} aria-hidden="true" className="muted" />
      <h1 className="standalone-title">{title}</h1>
      <p className="muted" role="alert">
        {text}
      </p>
      <Link to="/me/profile" className="button">
        Open your profile
      </Link>
    </>
  );
}
