import { useMutation } from "@tanstack/react-query";
import { Download } from "lucide-react";
import { downloadText } from "../lib/download";
import { messageOf } from "../lib/errors";
import { useTRPC } from "../lib/trpc";
import { MenuButton } from "./RowActions";
import { notify } from "./Toast";

const nouns = {
  users: ["user", "users", "Users"],
  invitations: ["invitation", "invitations", "Invitations"],
} as const;

/** "Export" menu for the organization's users or invitations, as CSV or JSON, downloaded as a file. */
export function ExportMenu({ what }: { what: keyof typeof nouns }) {
  const trpc = useTRPC();
  const [one, many, title] = nouns[what];
  const exportFile = useMutation({
    ...trpc.system.users.export.mutationOptions(),
    onSuccess: (file) => {
      downloadText(file.filename, file.content, file.contentType);
      notify("Export ready", {
        description: `${file.rows} ${file.rows === 1 ? one : many} in ${file.filename}.`,
      });
    },
    onError: (error) => notify("The export did not work", { description: messageOf(error), tone: "danger" }),
  });
  return (
    <MenuButton
      label={exportFile.isPending ? "Exporting…" : "Export"}
      icon={Download}
      disabled={exportFile.isPending}
      actions={[
        { label: `${title} as CSV`, onSelect: () => exportFile.mutate({ what, format: "csv" }) },
        { label: `${title} as JSON`, onSelect: () => exportFile.mutate({ what, format: "json" }) },
      ]}
    />
  );
}
