import { createFileRoute } from "@tanstack/react-router";
import { Suspense } from "react";
import { DetailSkeleton } from "../../../../components/collection/skeletons";
import { IssueDetail } from "../../../../components/projects/IssueDetail";

/** One issue, open beside the list (URL-addressable: /<tenant>/projects/issues/<id>). */
export const Route = createFileRoute("/_app/$tenant/projects/issues/$issueId")({
  loader: ({ context, params }) =>
    context.queryClient.ensureQueryData(
      context.api.trpc.projects.issues.get.queryOptions({ id: params.issueId }),
    ),
  pendingComponent: () => <DetailSkeleton label="Loading the issue" />,
  component: IssuePage,
});

function IssuePage() {
  const { issueId } = Route.useParams();
  return (
    <Suspense fallback={<DetailSkeleton label="Loading the issue" />}>
      <IssueDetail key={issueId} issueId={issueId} />
    </Suspense>
  );
}
