import { redirect } from "next/navigation";
import { requireUser } from "@/server/auth/current";

export default async function Home() {
  await requireUser();
  redirect("/stacks");
}
