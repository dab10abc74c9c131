package dev.readiness.samples.grpc;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.protobuf.ProtoUtils;

/**
 * {@code src/main/proto/readiness/samples/v1/echo.proto}, built in code so that the sample needs no protoc at
 * build time: the descriptor, the {@code Echo/Echo} method with protobuf marshallers, and the schema that server
 * reflection serves. A service of your own generates this with protoc and grpc-java's plugin instead.
 */
public final class EchoProto {

    public static final String PACKAGE = "readiness.samples.v1";
    public static final String SERVICE_NAME = PACKAGE + ".Echo";

    public static final Descriptors.FileDescriptor FILE = build();
    public static final Descriptors.Descriptor REQUEST = FILE.findMessageTypeByName("EchoRequest");
    public static final Descriptors.Descriptor REPLY = FILE.findMessageTypeByName("EchoReply");
    public static final Descriptors.FieldDescriptor REQUEST_TEXT = REQUEST.findFieldByName("text");
    public static final Descriptors.FieldDescriptor REQUEST_SLEEP_MS = REQUEST.findFieldByName("sleep_ms");
    public static final Descriptors.FieldDescriptor REPLY_TEXT = REPLY.findFieldByName("text");
    public static final Descriptors.FieldDescriptor REPLY_SERVED_BY = REPLY.findFieldByName("served_by");

    private static final Descriptors.ServiceDescriptor SERVICE = FILE.findServiceByName("Echo");

    /** {@code rpc Echo(EchoRequest) returns (EchoReply)}. */
    public static final MethodDescriptor<DynamicMessage, DynamicMessage> ECHO =
            MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE_NAME, "Echo"))
                    .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(REQUEST)))
                    .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(REPLY)))
                    .setSchemaDescriptor(new Schema("Echo"))
                    .build();

    /** The service as grpc-java describes it, with the schema that server reflection serves. */
    public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.newBuilder(SERVICE_NAME)
            .setSchemaDescriptor(new Schema(null)).addMethod(ECHO).build();

    private EchoProto() {
    }

    public static DynamicMessage request(String text, int sleepMs) {
        return DynamicMessage.newBuilder(REQUEST).setField(REQUEST_TEXT, text).setField(REQUEST_SLEEP_MS, sleepMs).build();
    }

    public static DynamicMessage reply(String text, String servedBy) {
        return DynamicMessage.newBuilder(REPLY).setField(REPLY_TEXT, text).setField(REPLY_SERVED_BY, servedBy).build();
    }

    private static Descriptors.FileDescriptor build() {
        FileDescriptorProto proto = FileDescriptorProto.newBuilder()
                .setName("readiness/samples/v1/echo.proto").setPackage(PACKAGE).setSyntax("proto3")
                .addMessageType(DescriptorProto.newBuilder().setName("EchoRequest")
                        .addField(field("text", 1, FieldDescriptorProto.Type.TYPE_STRING, "text"))
                        .addField(field("sleep_ms", 2, FieldDescriptorProto.Type.TYPE_INT32, "sleepMs")))
                .addMessageType(DescriptorProto.newBuilder().setName("EchoReply")
                        .addField(field("text", 1, FieldDescriptorProto.Type.TYPE_STRING, "text"))
                        .addField(field("served_by", 2, FieldDescriptorProto.Type.TYPE_STRING, "servedBy")))
                .addService(ServiceDescriptorProto.newBuilder().setName("Echo")
                        .addMethod(MethodDescriptorProto.newBuilder().setName("Echo")
                                .setInputType("." + PACKAGE + ".EchoRequest")
                                .setOutputType("." + PACKAGE + ".EchoReply")))
                .build();
        try {
            return Descriptors.FileDescriptor.buildFrom(proto, new Descriptors.FileDescriptor[0]);
        } catch (Descriptors.DescriptorValidationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type, String json) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type).setJsonName(json)
                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL).build();
    }

    /** What server reflection reads: the file, the service and (for a method) the method. */
    private static final class Schema implements ProtoFileDescriptorSupplier, ProtoMethodDescriptorSupplier {
        private final String method;

        Schema(String method) {
            this.method = method;
        }

        @Override
        public Descriptors.FileDescriptor getFileDescriptor() {
            return FILE;
        }

        @Override
        public Descriptors.ServiceDescriptor getServiceDescriptor() {
            return SERVICE;
        }

        @Override
        public Descriptors.MethodDescriptor getMethodDescriptor() {
            return method == null ? null : SERVICE.findMethodByName(method);
        }
    }
}
