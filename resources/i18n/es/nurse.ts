<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>AlertBanner</name>
    <message>
        <source>Silence Bedside&apos;s sound for 2 min (logged). The monitor and the pump keep the primary alarms.</source>
        <translation>Silenciar el sonido de Bedside 2 min (queda registrado). El monitor y la bomba mantienen las alarmas primarias.</translation>
    </message>
    <message>
        <source>Acknowledge…</source>
        <translation>Reconocer…</translation>
    </message>
    <message>
        <source>Acknowledge the alert shown (A)</source>
        <translation>Reconocer la alerta mostrada (A)</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alertas</translation>
    </message>
    <message>
        <source>Every open alert: acknowledge any of them, one or several</source>
        <translation>Todas las alertas abiertas: reconozca cualquiera, una o varias</translation>
    </message>
    <message>
        <source>Muted until {time} ({by})</source>
        <translation>Silenciado hasta las {time} ({by})</translation>
    </message>
    <message>
        <source>Bedside&apos;s sound is muted; click to turn it back on now</source>
        <translation>El sonido de Bedside está silenciado; pulse para reactivarlo ahora</translation>
    </message>
    <message>
        <source>Mute {minutes} min…</source>
        <translation>Silenciar {minutes} min…</translation>
    </message>
</context>
<context>
    <name>AlertListDialog</name>
    <message>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regla</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Alerta</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>Escalada</translation>
    </message>
    <message>
        <source>Acknowledged by</source>
        <translation>Reconocida por</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>not acknowledged</source>
        <translation>no reconocida</translation>
    </message>
    <message>
        <source>Alerts: open, and resolved in the last 24 h</source>
        <translation>Alertas: abiertas y resueltas en las últimas 24 h</translation>
    </message>
    <message>
        <source>Select one or several alerts that are not acknowledged yet (Ctrl or Shift for several) and acknowledge them. An alert indented under a problem is acknowledged with it.</source>
        <translation>Seleccione una o varias alertas aún no reconocidas (Ctrl o Mayús para varias) y reconózcalas. Una alerta sangrada bajo un problema se reconoce con él.</translation>
    </message>
    <message>
        <source>No alert open or resolved in the last 24 h.</source>
        <translation>Ninguna alerta abierta ni resuelta en las últimas 24 h.</translation>
    </message>
    <message>
        <source>optional: what you saw or did</source>
        <translation>opcional: lo que vio o hizo</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Comentario</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Por</translation>
    </message>
    <message>
        <source>Acknowledging says you have seen it; it stays open until the values recover. You sign it with your password; the signature is recorded in the safety log with the time.</source>
        <translation>Reconocer indica que la ha visto; sigue abierta hasta que los valores se recuperen. La firma con su contraseña; la firma queda registrada en el registro de seguridad con la hora.</translation>
    </message>
    <message>
        <source>Acknowledge selected</source>
        <translation>Reconocer seleccionadas</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>resolved {time}</source>
        <translation>resuelta {time}</translation>
    </message>
    <message>
        <source>open</source>
        <translation>abierta</translation>
    </message>
    <message>
        <source>open, acknowledged</source>
        <translation>abierta, reconocida</translation>
    </message>
    <message>
        <source>Signed: </source>
        <translation>Firmado: </translation>
    </message>
    <message>
        <source>nobody signed in: sign in on the screen to acknowledge</source>
        <translation>nadie ha iniciado sesión: inicie sesión en la pantalla para reconocer</translation>
    </message>
    <message>
        <source>{name} ({role}), signing with your password</source>
        <translation>{name} ({role}), firma con su contraseña</translation>
    </message>
    <message>
        <source>{name} ({role}): this role does not acknowledge alerts</source>
        <translation>{name} ({role}): este rol no reconoce alertas</translation>
    </message>
    <message>
        <source>Sign in to acknowledge</source>
        <translation>Inicie sesión para reconocer</translation>
    </message>
    <message>
        <source>Acknowledge selected ({n})</source>
        <translation>Reconocer seleccionadas ({n})</translation>
    </message>
</context>
<context>
    <name>AlertSound</name>
    <message>
        <source>Sound unavailable: this computer has no audio output, so Bedside&apos;s alerts are silent. Watch the screen.</source>
        <translation>Sonido no disponible: este ordenador no tiene salida de audio, así que las alertas de Bedside no suenan. Vigile la pantalla.</translation>
    </message>
    <message>
        <source>Sound unavailable: this computer has no audio output, so Bedside&apos;s alerts are silent. Watch the screen; the monitor and the pump keep their own alarms. Ask IT to connect speakers.</source>
        <translation>Sonido no disponible: este ordenador no tiene salida de audio, así que las alertas de Bedside no suenan. Vigile la pantalla; el monitor y la bomba mantienen sus propias alarmas. Pida a Informática que conecte altavoces.</translation>
    </message>
</context>
<context>
    <name>BedTile</name>
    <message>
        <source>no bed</source>
        <translation>sin cama</translation>
    </message>
    <message>
        <source>{name}   MRN {mrn}</source>
        <translation>{name}   NHC {mrn}</translation>
    </message>
    <message>
        <source>ESCALATED</source>
        <translation>ESCALADA</translation>
    </message>
    <message>
        <source>■ Alerts not checked: infusion-reaction alerting is not running</source>
        <translation>■ Alertas sin comprobar: el sistema de alertas de reacción relacionada con la infusión no está en marcha</translation>
    </message>
    <message>
        <source>■ No open alert, but Bedside cannot see this bed: {reason}</source>
        <translation>■ Ninguna alerta abierta, pero Bedside no ve esta cama: {reason}</translation>
    </message>
    <message>
        <source>No open infusion-reaction alert</source>
        <translation>Ninguna alerta abierta de reacción relacionada con la infusión</translation>
    </message>
    <message>
        <source>■ Bedside cannot see this bed: {reason}</source>
        <translation>■ Bedside no ve esta cama: {reason}</translation>
    </message>
    <message>
        <source>■ No device feed bound to this bed</source>
        <translation>■ Ninguna señal de dispositivo asignada a esta cama</translation>
    </message>
    <message>
        <source>■ {feed}: no data for {silence}</source>
        <translation>■ {feed}: sin datos desde hace {silence}</translation>
    </message>
    <message>
        <source> · manual</source>
        <translation> · manual</translation>
    </message>
    <message>
        <source>no baseline</source>
        <translation>sin basal</translation>
    </message>
    <message>
        <source>none in 75 min</source>
        <translation>ninguno en 75 min</translation>
    </message>
    <message>
        <source>{age} old</source>
        <translation>hace {age}</translation>
    </message>
</context>
<context>
    <name>Bedside</name>
    <message>
        <source>Bedside cannot open this database</source>
        <translation>Bedside no puede abrir esta base de datos</translation>
    </message>
    <message>
        <source>Bedside cannot read the site&apos;s sign-in settings</source>
        <translation>Bedside no puede leer la configuración de inicio de sesión del centro</translation>
    </message>
</context>
<context>
    <name>ChecksView</name>
    <message>
        <source>Checks: no dose</source>
        <translation>Controles: sin dosis</translation>
    </message>
    <message>
        <source>Sign check…</source>
        <translation>Firmar control…</translation>
    </message>
    <message>
        <source>Record adverse event…</source>
        <translation>Registrar acontecimiento adverso…</translation>
    </message>
    <message>
        <source>Record vitals…</source>
        <translation>Registrar constantes…</translation>
    </message>
    <message>
        <source>Vital signs measured by hand: temperature, cuff BP, SpO2, HR, RR</source>
        <translation>Constantes medidas a mano: temperatura, PA con manguito, SpO2, FC, FR</translation>
    </message>
    <message>
        <source>Record medication…</source>
        <translation>Registrar medicación…</translation>
    </message>
    <message>
        <source>A co-medication given that the eMAR did not send</source>
        <translation>Una medicación concomitante administrada que el registro de administración (eMAR) no envió</translation>
    </message>
    <message>
        <source>Checks: no dose recorded</source>
        <translation>Controles: ninguna dosis registrada</translation>
    </message>
    <message>
        <source>and 1 more missed</source>
        <translation>y 1 omitido más</translation>
    </message>
    <message>
        <source>and {n} more missed</source>
        <translation>y {n} omitidos más</translation>
    </message>
    <message>
        <source>Checks, dose {dose}</source>
        <translation>Controles, dosis {dose}</translation>
    </message>
</context>
<context>
    <name>FeedsView</name>
    <message>
        <source>Waiting for data…</source>
        <translation>Esperando datos…</translation>
    </message>
    <message>
        <source>Feeds</source>
        <translation>Señales</translation>
    </message>
    <message>
        <source>Times in {zone}</source>
        <translation>Horas en {zone}</translation>
    </message>
    <message>
        <source>■ Alerting not live</source>
        <translation>■ Alertas no activas</translation>
    </message>
</context>
<context>
    <name>LocalDateAxis</name>
    <message>
        <source>Mon</source>
        <translation>lun</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>mar</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>mié</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>jue</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>vie</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>sáb</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>dom</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Bedside — DEMO, synthetic data</source>
        <translation>Bedside — DEMO, datos sintéticos</translation>
    </message>
    <message>
        <source>Review…</source>
        <translation>Revisión…</translation>
    </message>
    <message>
        <source>The post-dose review of this patient, and the cohort (Ctrl+R)</source>
        <translation>La revisión posdosis de este paciente y la cohorte (Ctrl+R)</translation>
    </message>
    <message numerus="yes">
        <source>%n High or escalated alert(s) not acknowledged. Once closed, Bedside no longer shows or sounds any alert; the monitor and the pump keep their own alarms.</source>
        <translation>
            <numerusform>%n alerta alta o escalada sin reconocer. Una vez cerrado, Bedside deja de mostrar y de hacer sonar cualquier alerta; el monitor y la bomba mantienen sus propias alarmas.</numerusform>
            <numerusform>%n alertas altas o escaladas sin reconocer. Una vez cerrado, Bedside deja de mostrar y de hacer sonar cualquier alerta; el monitor y la bomba mantienen sus propias alarmas.</numerusform>
        </translation>
    </message>
    <message>
        <source>Sound: High</source>
        <translation>Sonido: alertas altas y escaladas</translation>
    </message>
    <message>
        <source>High and escalated alerts always sound until acknowledged (Mute silences them for 2 min). On: a short cue for every other new alert too. The monitor and the pump keep the primary audible alarms.</source>
        <translation>Las alertas de prioridad alta y las escaladas suenan siempre hasta que se reconocen (Silenciar las calla 2 min). Activado: también un aviso breve para cualquier otra alerta nueva. El monitor y la bomba mantienen las alarmas acústicas primarias.</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <source>Light or dark theme (Ctrl+T)</source>
        <translation>Tema claro u oscuro (Ctrl+T)</translation>
    </message>
    <message>
        <source>Signed in: {name} ({role})</source>
        <translation>Sesión iniciada: {name} ({role})</translation>
    </message>
    <message>
        <source>Locked ({reason}): {name} signed out</source>
        <translation>Bloqueada ({reason}): sesión de {name} cerrada</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <source>The safety log did not record the sign-in or lock: {error}</source>
        <translation>El registro de seguridad no guardó el inicio de sesión ni el bloqueo: {error}</translation>
    </message>
    <message>
        <source>Sound: all alerts</source>
        <translation>Sonido: todas las alertas</translation>
    </message>
    <message>
        <source>Close Bedside?</source>
        <translation>¿Cerrar Bedside?</translation>
    </message>
    <message>
        <source>Close anyway</source>
        <translation>Cerrar igualmente</translation>
    </message>
</context>
<context>
    <name>MarkerPlot</name>
    <message>
        <source>no result in this view</source>
        <translation>ningún resultado en esta vista</translation>
    </message>
</context>
<context>
    <name>NumericTile</name>
    <message>
        <source>HIGH alert</source>
        <translation>alerta alta</translation>
    </message>
    <message>
        <source>MEDIUM alert</source>
        <translation>alerta media</translation>
    </message>
    <message>
        <source>LOW alert</source>
        <translation>alerta baja</translation>
    </message>
    <message>
        <source>(manual {time})</source>
        <translation>(manual {time})</translation>
    </message>
    <message>
        <source>{age} old</source>
        <translation>hace {age}</translation>
    </message>
    <message>
        <source>no value in the last 75 min</source>
        <translation>ningún valor en los últimos 75 min</translation>
    </message>
</context>
<context>
    <name>NurseActions</name>
    <message>
        <source>Acknowledge</source>
        <translation>Reconocer</translation>
    </message>
    <message>
        <source>Start dose</source>
        <translation>Iniciar dosis</translation>
    </message>
    <message>
        <source>Stop dose</source>
        <translation>Detener dosis</translation>
    </message>
    <message>
        <source>Confirm start</source>
        <translation>Confirmar inicio</translation>
    </message>
    <message>
        <source>Adverse event</source>
        <translation>Acontecimiento adverso</translation>
    </message>
    <message>
        <source>Record vitals</source>
        <translation>Registrar constantes</translation>
    </message>
    <message>
        <source>Record medication</source>
        <translation>Registrar medicación</translation>
    </message>
    <message>
        <source>Check signed</source>
        <translation>Control firmado</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>Silenciar</translation>
    </message>
    <message>
        <source>{action}: done, recorded in the safety log</source>
        <translation>{action}: hecho, guardado en el registro de seguridad</translation>
    </message>
    <message>
        <source>{action}: not done</source>
        <translation>{action}: no realizado</translation>
    </message>
    <message>
        <source>{message}

Nothing was recorded. Correct and try again.</source>
        <translation>{message}

No se ha registrado nada. Corrija e inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>Not signed: nothing was recorded</source>
        <translation>Sin firmar: no se ha registrado nada</translation>
    </message>
    <message>
        <source>the acknowledgement of {severity} {title}</source>
        <translation>el reconocimiento de {severity} {title}</translation>
    </message>
    <message>
        <source>the acknowledgement of {n} alerts ({ids})</source>
        <translation>el reconocimiento de {n} alertas ({ids})</translation>
    </message>
    <message>
        <source>the acknowledgement of 1 alert ({ids})</source>
        <translation>el reconocimiento de 1 alerta ({ids})</translation>
    </message>
    <message>
        <source>Dose {n} is infusing</source>
        <translation>La dosis {n} se está infundiendo</translation>
    </message>
    <message>
        <source>Dose {n} is still infusing (started {time}). Stop it first if it has ended; start dose {next} only if a second dose really runs at the same time.</source>
        <translation>La dosis {n} se sigue infundiendo (iniciada a las {time}). Si ya terminó, deténgala primero; inicie la dosis {next} solo si de verdad se administra una segunda dosis a la vez.</translation>
    </message>
    <message>
        <source>Start dose {next} anyway…</source>
        <translation>Iniciar la dosis {next} igualmente…</translation>
    </message>
    <message>
        <source>the start of dose {dose} at {time}</source>
        <translation>el inicio de la dosis {dose} a las {time}</translation>
    </message>
    <message>
        <source>the adverse event {term}, grade {grade}</source>
        <translation>el acontecimiento adverso {term}, grado {grade}</translation>
    </message>
    <message>
        <source>the record of {drug} {dose} {unit} {route} at {time}</source>
        <translation>el registro de {drug} {dose} {unit} {route} ({time})</translation>
    </message>
    <message>
        <source>the check {check} of dose {dose}</source>
        <translation>el control {check} de la dosis {dose}</translation>
    </message>
    <message>
        <source>no alert sounding</source>
        <translation>ninguna alerta sonando</translation>
    </message>
</context>
<context>
    <name>NurseHeader</name>
    <message>
        <source>No patient yet</source>
        <translation>Aún no hay paciente</translation>
    </message>
    <message>
        <source>No dose recorded</source>
        <translation>Ninguna dosis registrada</translation>
    </message>
    <message>
        <source>Start dose…</source>
        <translation>Iniciar dosis…</translation>
    </message>
    <message>
        <source>Stop dose…</source>
        <translation>Detener dosis…</translation>
    </message>
    <message>
        <source>Confirm start…</source>
        <translation>Confirmar inicio…</translation>
    </message>
    <message>
        <source>Switch bed (Ctrl+PgDown / Ctrl+PgUp)</source>
        <translation>Cambiar de cama (Ctrl+AvPág / Ctrl+RePág)</translation>
    </message>
    <message>
        <source>DEMO · synthetic data</source>
        <translation>DEMO · datos sintéticos</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <translation>Carpeta</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Acceso directo</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>Unidad</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Archivo</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Buscar en:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>Ficheros de &amp;tipo:</translation>
    </message>
</context>
<context>
    <name>QFileSystemModel</name>
    <message>
        <source>&lt;b&gt;The name &quot;%1&quot; cannot be used.&lt;/b&gt;&lt;p&gt;Try using another name, with fewer characters or no punctuation marks.</source>
        <translation>&lt;b&gt;No se puede usar el nombre «%1».&lt;/b&gt;&lt;p&gt;Pruebe con otro nombre, con menos caracteres o sin signos de puntuación.</translation>
    </message>
</context>
<context>
    <name>ScreenReader</name>
    <message>
        <source>Waiting for the ingest service to create the database…</source>
        <translation>Esperando a que el servicio de recepción de datos HL7 cree la base de datos…</translation>
    </message>
    <message>
        <source>Cannot read the database: {kind}: {error}</source>
        <translation>No se puede leer la base de datos: {kind}: {error}</translation>
    </message>
</context>
<context>
    <name>SessionBar</name>
    <message>
        <source>Locked — sign in</source>
        <translation>Bloqueada — iniciar sesión</translation>
    </message>
    <message>
        <source>The screen is locked: it shows the trends, values and alerts, and takes no action until you sign in</source>
        <translation>La pantalla está bloqueada: muestra las tendencias, los valores y las alertas, y no admite ninguna acción hasta que inicie sesión</translation>
    </message>
    <message>
        <source>Switch user</source>
        <translation>Cambiar de usuario</translation>
    </message>
    <message>
        <source>Lock, and sign in as someone else at once</source>
        <translation>Bloquear e iniciar sesión como otra persona a la vez</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>Bloquear</translation>
    </message>
    <message>
        <source>Lock the screen now (it locks by itself when idle)</source>
        <translation>Bloquear la pantalla ahora (se bloquea sola tras un tiempo sin uso)</translation>
    </message>
    <message>
        <source>last: {name}</source>
        <translation>última sesión: {name}</translation>
    </message>
    <message>
        <source>Signed in as {user}; the screen locks when idle</source>
        <translation>Sesión iniciada como {user}; la pantalla se bloquea tras un tiempo sin uso</translation>
    </message>
</context>
<context>
    <name>Severity</name>
    <message>
        <source>HIGH</source>
        <translation>ALTA</translation>
    </message>
    <message>
        <source>MEDIUM</source>
        <translation>MEDIA</translation>
    </message>
    <message>
        <source>LOW</source>
        <translation>BAJA</translation>
    </message>
</context>
<context>
    <name>Supervisor</name>
    <message>
        <source>not started</source>
        <translation>sin iniciar</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>iniciándose</translation>
    </message>
    <message>
        <source>running</source>
        <translation>en marcha</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>detenido</translation>
    </message>
    <message>
        <source>finished: its course has ended</source>
        <translation>terminado: su evolución ha concluido</translation>
    </message>
    <message>
        <source>exited ({code}); restarting in {seconds} s</source>
        <translation>terminó ({code}); se reinicia en {seconds} s</translation>
    </message>
    <message>
        <source>Ingest {address}: {state}</source>
        <translation>Recepción de datos HL7 {address}: {state}</translation>
    </message>
    <message>
        <source> (restarted {n}×)</source>
        <translation> (reiniciada {n}×)</translation>
    </message>
    <message>
        <source>Simulated monitor: {state}</source>
        <translation>Monitor simulado: {state}</translation>
    </message>
</context>
<context>
    <name>TrendPanel</name>
    <message>
        <source>1 h</source>
        <translation>1 h</translation>
    </message>
    <message>
        <source>6 h</source>
        <translation>6 h</translation>
    </message>
    <message>
        <source>24 h</source>
        <translation>24 h</translation>
    </message>
    <message>
        <source>7 d</source>
        <translation>7 d</translation>
    </message>
    <message>
        <source>Course</source>
        <translation>Evolución</translation>
    </message>
    <message>
        <source>Show {span} (Alt+{key})</source>
        <translation>Mostrar {span} (Alt+{key})</translation>
    </message>
    <message>
        <source>● Follow live</source>
        <translation>● En directo</translation>
    </message>
    <message>
        <source>○ Follow live (paused)</source>
        <translation>○ En directo (en pausa)</translation>
    </message>
    <message>
        <source>view downsampled ×{factor} (min/max per pixel)</source>
        <translation>vista reducida ×{factor} (mín/máx por píxel)</translation>
    </message>
    <message>
        <source>P/F ratio (PaO2 / FiO2)</source>
        <translation>Cociente P/F (PaO2 / FiO2)</translation>
    </message>
    <message>
        <source>PaO2 without a FiO2 in view: no ratio</source>
        <translation>PaO2 sin FiO2 en la vista: sin cociente</translation>
    </message>
    <message>
        <source>band: typical adult range (example; the lab sent none)</source>
        <translation>banda: intervalo adulto habitual (ejemplo; el laboratorio no envió ninguno)</translation>
    </message>
    <message>
        <source>Keep the newest values in view (F)</source>
        <translation>Mantener a la vista los valores más recientes (F)</translation>
    </message>
    <message>
        <source>Lab:</source>
        <translation>Laboratorio:</translation>
    </message>
    <message>
        <source>P/F ratio</source>
        <translation>Cociente P/F</translation>
    </message>
    <message>
        <source>Lab</source>
        <translation>Laboratorio</translation>
    </message>
    <message>
        <source>Dose {dose}</source>
        <translation>Dosis {dose}</translation>
    </message>
    <message>
        <source> · {cells} cells/kg</source>
        <translation> · {cells} células/kg</translation>
    </message>
</context>
<context>
    <name>TrendPlot</name>
    <message>
        <source> ({age} old)</source>
        <translation> (hace {age})</translation>
    </message>
    <message>
        <source>Temp {site}</source>
        <translation>Temp. {site}</translation>
    </message>
    <message>
        <source>   ◆ manual</source>
        <translation>   ◆ manual</translation>
    </message>
    <message>
        <source>{title}: no values in this view</source>
        <translation>{title}: ningún valor en esta vista</translation>
    </message>
</context>
<context>
    <name>WardOverview</name>
    <message>
        <source>Ward overview</source>
        <translation>Vista de la unidad</translation>
    </message>
    <message>
        <source>DEMO · synthetic data</source>
        <translation>DEMO · datos sintéticos</translation>
    </message>
    <message numerus="yes">
        <source>Ward overview · %n bed(s)</source>
        <translation>
            <numerusform>Vista de la unidad · %n cama</numerusform>
            <numerusform>Vista de la unidad · %n camas</numerusform>
        </translation>
    </message>
    <message>
        <source>read {time}</source>
        <translation>leído {time}</translation>
    </message>
</context>
<context>
    <name>WardWindow</name>
    <message>
        <source>Bedside — ward overview — DEMO, synthetic data</source>
        <translation>Bedside — vista de la unidad — DEMO, datos sintéticos</translation>
    </message>
    <message>
        <source>Bedside — ward overview</source>
        <translation>Bedside — vista de la unidad</translation>
    </message>
    <message>
        <source>◀ Ward overview (Esc)</source>
        <translation>◀ Vista de la unidad (Esc)</translation>
    </message>
    <message>
        <source>Back to every bed</source>
        <translation>Volver a todas las camas</translation>
    </message>
    <message>
        <source>Cannot open the bed: its screen did not load within 10 s</source>
        <translation>No se puede abrir la cama: su pantalla no se cargó en 10 s</translation>
    </message>
</context>
</TS>
