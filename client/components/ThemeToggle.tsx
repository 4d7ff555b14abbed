import { Monitor, Moon, Sun } from "lucide-react";
import { ToggleGroup } from "radix-ui";
import { setThemePreference, type ThemePreference, themePreferences, useThemePreference } from "../lib/theme";

const labels: Record<ThemePreference, string> = { light: "Light", dark: "Dark", system: "System" };
const icons = { light: Sun, dark: Moon, system: Monitor } as const;

/** Light / dark / system: a radio group (arrow keys move between the choices). */
export function ThemeToggle() {
  const preference = useThemePreference();
  return (
    <ToggleGroup.Root
      type="single"
      className="segmented"
      aria-label="Theme"
      value={preference}
      onValueChange={(value) => {
        if (value) setThemePreference(value as ThemePreference);
      }}
    >
      {themePreferences.map((option) => {
        const Icon = icons[option];
        return (
          <ToggleGroup.Item
            key={option}
            value={option}
            className="segmented-item"
            aria-label={`${labels[option]} theme`}
            title={`${labels[option]} theme`}
          >
            <Icon size={14} aria-hidden="true" />
          </ToggleGroup.Item>
        );
      })}
    </ToggleGroup.Root>
  );
}
