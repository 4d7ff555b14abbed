import { Link } from "@tanstack/react-router";
import { Compass, KeyRound, type LucideIcon, MonitorSmartphone, ShieldCheck, UserRound } from "lucide-react";

/** The pages about the signed-in user themselves, outside any organization (`/me/…`). */
export const accountPages: readonly {
  to: "/me/profile" | "/me/sessions" | "/me/tokens" | "/me/two-factor" | "/me/context";
  label: string;
  icon: LucideIcon;
}[] = [
  { to: "/me/profile", label: "Profile", icon: UserRound },
  { to: "/me/sessions", label: "Sessions & devices", icon: MonitorSmartphone },
  { to: "/me/tokens", label: "Access tokens", icon: KeyRound },
  { to: "/me/two-factor", label: "Two-factor", icon: ShieldCheck },
  { to: "/me/context", label: "Default context", icon: Compass },
];

export function AccountNav() {
  return (
    <nav className="nav" aria-label="Account">
      <p className="nav-heading">Your account</p>
      {accountPages.map(({ to, label, icon: Icon }) => (
        <Link key={to} to={to} className="nav-link nav-home">
          <Icon size={16} aria-hidden="true" />
          <span>{label}</span>
        </Link>
      ))}
    </nav>
  );
}
