// The admin dashboard (chart.js). Data comes from the dashboard handler in admin/index.ts, which
// reads the statistics snapshot tables through the statistics service.
import React, { useEffect, useRef, useState } from 'react';
import { ApiClient } from 'adminjs';
import { Box, H2, H5, Text } from '@adminjs/design-system';
import { Chart, LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend, Filler } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend, Filler);

type DashboardData = {
  role: string;
  from: string;
  to: string;
  signups: Array<{ day: string; signups: number | null }>;
  totals: { signups: number };
};

const api = new ApiClient();

const Dashboard: React.FC = () => {
  const [data, setData] = useState<DashboardData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement | null>(null);

  useEffect(() => {
    api
      .getDashboard()
      .then((res) => setData(res.data as DashboardData))
      .catch(() => setError('Could not load the statistics.'));
  }, []);

  useEffect(() => {
    if (!data || !canvas.current) return undefined;
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: {
        labels: data.signups.map((r) => r.day),
        datasets: [{ label: 'Sign-ups per day', data: data.signups.map((r) => r.signups), borderColor: '#3040D6', backgroundColor: 'rgba(48,64,214,0.15)', fill: true, tension: 0.2, spanGaps: false }],
      },
      options: { responsive: true, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
    return () => chart.destroy();
  }, [data]);

  return (
    <Box variant="grey" data-testid="marquee-dashboard">
      <Box variant="white" mb="xl">
        <H2>Marquee back office</H2>
        <Text>Statistics are daily snapshots computed by the statistics jobs (UTC days).</Text>
      </Box>
      {error && <Text color="error">{error}</Text>}
      {data && (
        <Box variant="white">
          <H5>
            Sign-ups {data.from} – {data.to}: <span data-testid="signups-total">{data.totals.signups}</span>
          </H5>
          <canvas ref={canvas} data-testid="signups-chart" data-points={JSON.stringify(data.signups.map((r) => r.signups))} height={90} />
        </Box>
      )}
    </Box>
  );
};

export default Dashboard;
