import {
  Activity,
  FolderKanban,
  GraduationCap,
  Laptop,
  type LucideIcon,
  MapPin,
  Network,
  Settings,
  Users,
} from "lucide-react";
import type { IconName } from "../../shared/registry";

/** The lucide icon for each registry IconName (a new IconName fails the type check until mapped here). */
export const registryIcons: Record<IconName, LucideIcon> = {
  settings: Settings,
  "folder-kanban": FolderKanban,
  "graduation-cap": GraduationCap,
  users: Users,
  laptop: Laptop,
  network: Network,
  "map-pin": MapPin,
  activity: Activity,
};

export function RegistryIcon({ name, size = 16 }: { name: IconName; size?: number }) {
  const Icon = registryIcons[name];
  return <Icon size={size} aria-hidden="true" />;
}

/** The Nexus mark. */
export function Logo({ size = 24 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" className="logo">
      <rect width="32" height="32" rx="7" fill="var(--accent)" />
      <path d="M10 22V10h2.2l7.6 8.1V10H22v12h-2.2l-7.6-8.1V22z" fill="var(--accent-fg)" />
    </svg>
  );
}
