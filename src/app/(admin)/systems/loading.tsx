import { LoadingPage } from "~/components/runs/loading-page";

export default function Loading() {
  return <LoadingPage title="Systems" />;
}
